#include "models/option_editing.h"

#include "models/text.h"

#include <QCoreApplication>
#include <QFile>
#include <limits>

namespace socklens::ui {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

std::int64_t procLimit(const char* path) {
    QFile file(QString::fromLatin1(path));
    bool ok = false;
    const std::int64_t value =
        file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toLongLong(&ok) : 0;
    return ok && value > 0 ? value : kIntMax;
}

QString tr(const char* text) {
    return QCoreApplication::translate("OptionEditing", text);
}

} // namespace

OptionEditor editorFor(OptionValueKind kind) {
    switch (kind) {
    case OptionValueKind::Switch:
        return OptionEditor::Toggle;
    case OptionValueKind::LingerSeconds:
        return OptionEditor::LingerSeconds;
    case OptionValueKind::Bytes:
    case OptionValueKind::Hops:
        break;
    }
    return OptionEditor::Number;
}

OptionEditing optionEditing(SocketOption option, Platform platform) {
    static const std::int64_t rmemMax = procLimit("/proc/sys/net/core/rmem_max");
    static const std::int64_t wmemMax = procLimit("/proc/sys/net/core/wmem_max");
    const SocketOptionTraits& traits = traitsOf(option);
    OptionEditing editing{editorFor(traits.kind), traits.minimum, traits.maximum, qs(traits.unit)};
    if (traits.kind == OptionValueKind::Bytes)
        editing.minimum = 1; // a zero-byte buffer or low-water mark is never what is meant
    // Linux clamps an unprivileged setsockopt of a buffer to these sysctls.
    if (platform == Platform::Linux && option == SocketOption::RcvBuf)
        editing.maximum = rmemMax;
    if (platform == Platform::Linux && option == SocketOption::SndBuf)
        editing.maximum = wmemMax;
    return editing;
}

CheckedOptionValue checkOptionValue(SocketOption option, Platform platform, const QVariant& input) {
    const OptionEditing editing = optionEditing(option, platform);
    const QString name = qs(toString(option));
    const QString text = input.toString().trimmed();
    bool ok = false;
    std::int64_t value = input.toLongLong(&ok);
    if (!ok && editing.editor == OptionEditor::Toggle) {
        ok = text == QLatin1String("on") || text == QLatin1String("off");
        value = text == QLatin1String("on") ? 1 : 0;
    }
    if (!ok && editing.editor == OptionEditor::LingerSeconds && text == QLatin1String("off")) {
        ok = true;
        value = -1;
    }
    if (!ok)
        return {std::nullopt,
                tr("%1 was not changed: “%2” is not a number.").arg(name, text.left(40))};
    if (value < editing.minimum || value > editing.maximum) {
        const QString range =
            editing.editor == OptionEditor::Toggle ? tr("on (1) or off (0)")
            : editing.editor == OptionEditor::LingerSeconds
                ? tr("off, or 0 to %1 s").arg(editing.maximum)
                : tr("%1 to %2 %3").arg(editing.minimum).arg(editing.maximum).arg(editing.unit);
        return {std::nullopt, tr("%1 was not changed: %2 is outside what it takes (%3).")
                                  .arg(name)
                                  .arg(value)
                                  .arg(range)};
    }
    return {value, {}};
}

QString kernelAdjustment(SocketOption option, std::int64_t requested, std::int64_t effective) {
    if (requested == effective)
        return {};
    const bool buffer = option == SocketOption::RcvBuf || option == SocketOption::SndBuf;
    if (buffer && effective == 2 * requested)
        return tr("doubled by the kernel"); // Linux keeps room for its bookkeeping
    if (buffer && effective < 2 * requested)
        return tr("clamped by the kernel to %1").arg(effective);
    return tr("the kernel made it %1").arg(effective);
}

} // namespace socklens::ui
