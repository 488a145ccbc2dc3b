// The sections about what the session had: processes, sockets with their counts, and what
// each setsockopt did to the other descriptors.
#include "report/option_propagation.h"
#include "report_documents/html_report_builder.h"
#include "report_documents/html_text.h"

namespace socklens::reports {

void HtmlReportBuilder::processes() {
    section(QStringLiteral("processes"), QObject::tr("Processes"));
    std::vector<QStringList> rows;
    for (const auto& [id, process] : state_.processes) {
        const QString end = process.alive ? QObject::tr("alive at the end")
                                          : QString::fromStdString(process.exitReason);
        rows.push_back({html::text(process.name), QString::number(process.pid.value()),
                        html::text(std::string(toString(process.platform))),
                        html::text(process.osVersion),
                        process.helper ? QObject::tr("helper")
                                       : QObject::tr("other process holding a session socket"),
                        html::text(end)});
    }
    if (rows.empty()) {
        out_ += html::none(QObject::tr("No process took part."));
        return;
    }
    out_ += html::table({QObject::tr("Process"), QObject::tr("PID"), QObject::tr("Platform"),
                         QObject::tr("OS version"), QObject::tr("Role"), QObject::tr("End")},
                        rows);
}

void HtmlReportBuilder::sockets() {
    section(QStringLiteral("sockets"), QObject::tr("Sockets and their descriptor counts"));
    std::vector<QStringList> rows;
    QStringList ids;
    for (const auto& [id, socket] : state_.sockets) {
        int peak = 0;
        for (const CountPoint& point : socket.countHistory)
            peak = std::max(peak, point.count + point.inFlight);
        QStringList holders;
        for (const entry::Holder& holder : socket.holders)
            holders << descriptorName({holder.process, holder.handle});
        const QString addresses =
            socket.peer.empty()
                ? html::text(socket.local)
                : html::text(socket.local) + QStringLiteral(" &#8594; ") + html::text(socket.peer);
        rows.push_back({socketName(id), html::text(socket.kind), QString::number(socket.identity),
                        addresses, html::text(socket.tcpState),
                        socket.open ? QObject::tr("open") : QObject::tr("closed"),
                        QString::number(socket.count), QString::number(peak),
                        holders.join(QStringLiteral(", ")),
                        socket.countHistory.empty() ? QStringLiteral("-")
                                                    : entryLink(socket.countHistory.back().at)});
        ids << QStringLiteral("socket-S%1").arg(id.value());
    }
    if (rows.empty()) {
        out_ += html::none(QObject::tr("No socket was made or seen."));
        return;
    }
    out_ += html::table({QObject::tr("Socket"), QObject::tr("Kind"), QObject::tr("Identity"),
                         QObject::tr("Addresses"), QObject::tr("TCP state"), QObject::tr("State"),
                         QObject::tr("Descriptors at the end"), QObject::tr("Most"),
                         QObject::tr("Held by"), QObject::tr("Last count")},
                        rows, ids);
    out_ += QStringLiteral("<h3>") + html::text(QObject::tr("Descriptor counts over time")) +
            QStringLiteral("</h3>\n");
    plot(QStringLiteral("counts"));
}

void HtmlReportBuilder::optionPropagation() {
    section(QStringLiteral("options"), QObject::tr("Option propagation"));
    out_ += QStringLiteral("<p>") +
            html::text(QObject::tr("Every setsockopt, what getsockopt through the same "
                                   "descriptor returned right after (effective), and what the "
                                   "socket's other descriptors read afterwards, each in its own "
                                   "process.")) +
            QStringLiteral("</p>\n");
    std::vector<QStringList> rows;
    for (const report::OptionPropagation& row : report::optionPropagation(input_.journal)) {
        QStringList reads;
        for (const report::OptionRead& read : row.reads) {
            const QString value = read.errorCode
                                      ? QObject::tr("error %1").arg(read.errorCode)
                                      : html::text(describeOptionValue(row.option, read.value));
            reads << descriptorName(read.through) + QStringLiteral(" read ") + value +
                         QStringLiteral(" (") + entryLink(read.at) + QStringLiteral(")");
        }
        rows.push_back({entryLink(row.at), descriptorName(row.through), socketName(row.socket),
                        html::text(std::string(toString(row.option))),
                        QString::number(row.requested),
                        html::text(describeOptionValue(row.option, row.effective)),
                        reads.isEmpty() ? QObject::tr("no other descriptor read it")
                                        : reads.join(QStringLiteral("<br/>")),
                        row.propagated() ? QStringLiteral("<span class=\"demonstrated\">yes</span>")
                        : reads.isEmpty() ? QStringLiteral("-")
                                          : QStringLiteral("<span class=\"failed\">no</span>")});
    }
    if (rows.empty()) {
        out_ += html::none(QObject::tr("No option was set in this session."));
        return;
    }
    out_ += html::table({QObject::tr("Entry"), QObject::tr("Set through"), QObject::tr("Socket"),
                         QObject::tr("Option"), QObject::tr("Requested"), QObject::tr("Effective"),
                         QObject::tr("Read through the others"), QObject::tr("Same everywhere")},
                        rows);
}

} // namespace socklens::reports
