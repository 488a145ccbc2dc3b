// How a cell of the options matrix is edited: on/off options with a choice, sizes and
// counts with a number in the range the OS takes, SO_LINGER as "off" or seconds. The same
// rules check a value before it reaches the kernel, so nothing is dropped silently.
#pragma once

#include "model/socket_vocabulary.h"

#include <QString>
#include <QVariant>
#include <cstdint>
#include <optional>

namespace socklens::ui {

enum class OptionEditor { Toggle, Number, LingerSeconds };

struct OptionEditing {
    OptionEditor editor = OptionEditor::Number;
    std::int64_t minimum = 0;
    std::int64_t maximum = 0;
    QString unit; ///< "bytes", "hops", "s"
};

/// The editor and range of `option` through a descriptor of `platform`. Linux's buffer
/// sizes go up to net.core.rmem_max / wmem_max (read once), which an unprivileged
/// setsockopt is clamped to.
OptionEditing optionEditing(SocketOption option, Platform platform);

/// `input` as a value of `option`, or a sentence saying why it cannot be one.
struct CheckedOptionValue {
    std::optional<std::int64_t> value;
    QString whyNot;
};
CheckedOptionValue checkOptionValue(SocketOption option, Platform platform, const QVariant& input);

/// What the kernel did with a requested value, in words, or empty when it kept it:
/// "doubled by the kernel", "clamped by the kernel to 212992".
QString kernelAdjustment(SocketOption option, std::int64_t requested, std::int64_t effective);

} // namespace socklens::ui
