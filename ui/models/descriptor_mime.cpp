#include "models/descriptor_mime.h"

#include <QString>

namespace socklens::ui {

std::unique_ptr<QMimeData> descriptorMime(const std::vector<DescriptorRef>& descriptors) {
    QByteArray lines;
    for (const DescriptorRef& ref : descriptors)
        lines += QByteArray::number(ref.process.value()) + ':' +
                 QByteArray::number(qint64(ref.handle.value())) + '\n';
    auto mime = std::make_unique<QMimeData>();
    mime->setData(QString::fromLatin1(kDescriptorMimeType), lines);
    return mime;
}

std::vector<DescriptorRef> descriptorsFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasFormat(QString::fromLatin1(kDescriptorMimeType)))
        return {};
    std::vector<DescriptorRef> descriptors;
    const QByteArray data = mime->data(QString::fromLatin1(kDescriptorMimeType));
    for (const QByteArray& line : data.split('\n')) {
        if (line.isEmpty())
            continue;
        const QList<QByteArray> parts = line.split(':');
        bool processOk = false;
        bool handleOk = false;
        const uint process = parts.value(0).toUInt(&processOk);
        const qint64 handle = parts.value(1).toLongLong(&handleOk);
        if (parts.size() != 2 || !processOk || !handleOk || process == 0)
            return {};
        descriptors.push_back(DescriptorRef{ProcessId(process), Handle(handle)});
    }
    return descriptors;
}

} // namespace socklens::ui
