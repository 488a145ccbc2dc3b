// The sections about what happened over time: registrations and their cancellations,
// delivered events, and each duplication's handoff steps.
#include "report/handoff_order.h"
#include "report_documents/html_report_builder.h"
#include "report_documents/html_text.h"

namespace socklens::reports {

namespace {

/// Hex blobs (a WSAPROTOCOL_INFO) would make a table too wide to print.
constexpr qsizetype kMaxDetail = 160;

QString mechanismText(RegistrationMechanism mechanism) {
    return html::text(std::string(toString(mechanism)));
}

} // namespace

void HtmlReportBuilder::registrations() {
    section(QStringLiteral("registrations"), QObject::tr("Notification registrations"));
    plot(QStringLiteral("registrations"));
    std::vector<QStringList> rows;
    for (const auto& [id, socket] : state_.sockets) {
        for (const RegistrationChange& change : socket.registrationHistory) {
            const Registration& r = change.registration;
            QString cancelled = QStringLiteral("-");
            if (change.cancelled && change.cancelled->owner.valid())
                cancelled = QObject::tr("%1's %2 through %3 (%4)")
                                .arg(processName(change.cancelled->owner),
                                     html::text(eventMaskToString(change.cancelled->mask)),
                                     descriptorName(change.cancelled->through),
                                     entryLink(change.cancelled->at));
            rows.push_back({entryLink(r.at), secondsAt(r.at), socketName(id),
                            r.owner.valid() ? processName(r.owner) : QObject::tr("nobody"),
                            descriptorName(r.through), html::text(eventMaskToString(r.mask)),
                            mechanismText(r.mechanism),
                            change.observed ? QObject::tr("observed from the OS")
                                            : QObject::tr("made by a command"),
                            cancelled});
        }
    }
    if (rows.empty()) {
        out_ += html::none(QObject::tr("No registration was made or observed."));
        return;
    }
    out_ +=
        html::table({QObject::tr("Entry"), QObject::tr("Seconds"), QObject::tr("Socket"),
                     QObject::tr("Owner"), QObject::tr("Through"), QObject::tr("Mask"),
                     QObject::tr("Mechanism"), QObject::tr("How known"), QObject::tr("Cancelled")},
                    rows);
}

void HtmlReportBuilder::events() {
    section(QStringLiteral("events"), QObject::tr("Delivered events"));
    std::vector<QStringList> rows;
    for (const DeliveredEvent& event : state_.events)
        rows.push_back({entryLink(event.at), secondsAt(event.at), descriptorName(event.descriptor),
                        event.socket.valid() ? socketName(event.socket) : QStringLiteral("?"),
                        html::text(eventMaskToString(event.events)),
                        html::text(eventMaskToString(event.registered))});
    if (rows.empty()) {
        out_ += html::none(QObject::tr("The OS delivered no notification in this session."));
        return;
    }
    out_ +=
        html::table({QObject::tr("Entry"), QObject::tr("Seconds"), QObject::tr("Delivered to"),
                     QObject::tr("Socket"), QObject::tr("Events"), QObject::tr("Registered for")},
                    rows);
}

void HtmlReportBuilder::handoffs() {
    section(QStringLiteral("handoffs"), QObject::tr("Handoff sequences"));
    if (state_.duplications.empty()) {
        out_ += html::none(QObject::tr("No descriptor was duplicated."));
        return;
    }
    for (const auto& [id, d] : state_.duplications) {
        const QString result =
            !d.failure.empty()         ? QObject::tr("failed: %1").arg(html::text(d.failure))
            : d.result.process.valid() ? QObject::tr("gave %1").arg(descriptorName(d.result))
                                       : QObject::tr("not finished");
        out_ += QStringLiteral("<h3 id=\"handoff-D%1\">").arg(id.value()) +
                QObject::tr("D%1: %2 from %3 to %4 by %5, %6")
                    .arg(id.value())
                    .arg(socketName(d.socket), descriptorName(d.source), processName(d.target),
                         html::text(std::string(toString(d.mechanism))), result) +
                QStringLiteral("</h3>\n");
        std::vector<QStringList> rows;
        for (const HandoffStepState& step : report::stepsInOrder(d)) {
            QString detail = QString::fromStdString(step.detail);
            if (detail.size() > kMaxDetail)
                detail = detail.left(kMaxDetail) + QStringLiteral("…");
            rows.push_back({QString::number(step.step),
                            html::text(std::string(toString(step.actor))), html::text(step.text),
                            QStringLiteral("<span class=\"mono\">") + html::text(detail) +
                                QStringLiteral("</span>"),
                            entryLink(step.at)});
        }
        out_ += html::table({QObject::tr("Step"), QObject::tr("Actor"), QObject::tr("What"),
                             QObject::tr("Detail"), QObject::tr("Entry")},
                            rows);
    }
}

} // namespace socklens::reports
