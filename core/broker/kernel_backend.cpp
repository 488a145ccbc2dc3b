#include "broker/kernel_backend.h"

#include "broker/foreign_backend.h"
#include "broker/linux_backend.h"
#include "broker/winsock_backend.h"

namespace socklens::broker {

namespace {

// The one place that knows which backend serves which kernel.
std::unique_ptr<KernelBackend> makeBackend(Platform platform, const BackendContext& context) {
    switch (platform) {
    case Platform::Linux:
        return std::make_unique<LinuxBackend>(context);
    case Platform::WinsockWine:
        return std::make_unique<WinsockBackend>(context);
    }
    return std::make_unique<LinuxBackend>(context);
}

} // namespace

KernelBackends::KernelBackends(BackendContext context)
    : context_(std::move(context)) {
    of(Platform::Linux); // its count source covers processes that are not helpers too
}

KernelBackends::~KernelBackends() = default;

KernelBackend& KernelBackends::of(Platform platform) {
    std::unique_ptr<KernelBackend>& backend = backends_[platform];
    if (!backend)
        backend = makeBackend(platform, context_);
    return *backend;
}

KernelBackend& KernelBackends::forProcess(ProcessId process) {
    const ProcessState* known = context_.session.state().process(process);
    if (known && known->foreign && foreign_)
        return *foreign_;
    return of(known ? known->platform : Platform::Linux);
}

std::vector<KernelBackend*> KernelBackends::active() {
    std::vector<KernelBackend*> made;
    if (foreign_)
        made.push_back(foreign_.get());
    for (const auto& [platform, backend] : backends_)
        made.push_back(backend.get());
    return made;
}

ForeignBackend& KernelBackends::foreign() {
    if (!foreign_)
        foreign_ = std::make_unique<ForeignBackend>(context_, of(Platform::Linux));
    return *foreign_;
}

WinsockBackend& KernelBackends::winsock() {
    return static_cast<WinsockBackend&>(of(Platform::WinsockWine));
}

} // namespace socklens::broker
