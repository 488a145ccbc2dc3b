// Descriptors dragged between process panes: MIME type application/x-socklens-descriptor,
// carrying "PROCESS:HANDLE" lines.
#pragma once

#include "model/ids.h"

#include <QMimeData>
#include <memory>
#include <vector>

namespace socklens::ui {

inline constexpr char kDescriptorMimeType[] = "application/x-socklens-descriptor";

std::unique_ptr<QMimeData> descriptorMime(const std::vector<DescriptorRef>& descriptors);
/// Empty when `mime` carries no well-formed descriptor list.
std::vector<DescriptorRef> descriptorsFromMime(const QMimeData* mime);

} // namespace socklens::ui
