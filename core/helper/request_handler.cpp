#include "helper/request_handler.h"

#include "platform/os_error.h"
#include "platform/process_handles.h"
#include "platform/socket_api.h"
#include "version.h"

#include <algorithm>
#include <cerrno>
#include <exception>
#include <iterator>
#include <string>
#include <thread>
#include <variant>

namespace socklens::helper {

using namespace socklens::protocol;
using platform::OsError;

namespace {

void closeQuietly(Handle handle) {
    try {
        platform::closeHandle(handle);
    } catch (const OsError&) {
        // Nothing more can be done with a descriptor that cannot even be closed.
    }
}

void closeAll(std::vector<Handle>& handles) {
    for (const Handle handle : handles)
        closeQuietly(handle);
    handles.clear();
}

/// A request the helper refuses itself: no OS call failed, so none is named.
OsError refused(int code, const char* codeName, const std::string& why) {
    return OsError("", code, codeName, why + " (" + codeName + ")");
}

} // namespace

struct RequestHandler::Visitor {
    RequestHandler& self;
    std::vector<Handle>& received;
    const std::string& requestName;

    Reply operator()(const Hello& request) {
        return {HelloReply{request.requestId, platform::currentPid(), platform::currentPlatform(),
                           kVersion, platform::osVersion()},
                {}};
    }

    Reply operator()(const CreateSocket& request) {
        const std::vector<Handle> created = platform::createSockets(request.kind, request.wsaFlags);
        for (const Handle handle : created)
            self.keep(handle, request.wsaFlags);
        DescriptorsReply reply{request.requestId, {}};
        for (const Handle handle : created)
            reply.descriptors.push_back(self.observe(handle));
        return {reply, {}};
    }

    Reply operator()(const ExportDescriptor& request) {
        self.requireHeld(request.handle, requestName);
        const Handle handle(request.handle);
        return {DescriptorsReply{request.requestId, {self.observe(handle)}}, {handle}};
    }

    Reply operator()(const ImportDescriptor& request) {
        if (received.size() != 1) {
            const std::size_t count = received.size();
            closeAll(received);
            throw refused(EINVAL, "EINVAL",
                          "ImportDescriptor carries exactly one descriptor, but " +
                              std::to_string(count) + " arrived");
        }
        const Handle handle = received.front();
        received.clear();
        // Received as by a program that does not ask for MSG_CMSG_CLOEXEC: a child started
        // inheriting gets it, like every socket the session gives a helper.
        try {
            platform::setInheritable(handle, true);
        } catch (const OsError&) {
            closeQuietly(handle);
            throw;
        }
        return {DescriptorsReply{request.requestId, {self.adopt(handle, 0, true)}}, {}};
    }

    Reply operator()(const DupDescriptor& request) {
        self.requireHeld(request.handle, requestName);
        // A copy made by WSASocket carries the flags its source was made with (C9).
        const std::uint32_t flags = self.wsaFlags_.at(Handle(request.handle));
        const Handle copy =
            platform::duplicateInProcess(Handle(request.handle), wsaImportFlags(flags));
        self.keep(copy, flags);
        return {DescriptorsReply{request.requestId, {self.observe(copy)}}, {}};
    }

    Reply operator()(const SetOption& request) {
        self.requireHeld(request.handle, requestName);
        const Handle handle(request.handle);
        platform::setOption(handle, request.option, request.value);
        // The kernel may adjust what was asked for (SO_RCVBUF doubles): reply what took effect.
        const std::int64_t effective = platform::getOption(handle, request.option);
        return {OptionReply{request.requestId, {request.option, effective, 0}}, {}};
    }

    Reply operator()(const GetOption& request) {
        self.requireHeld(request.handle, requestName);
        const std::int64_t value = platform::getOption(Handle(request.handle), request.option);
        return {OptionReply{request.requestId, {request.option, value, 0}}, {}};
    }

    Reply operator()(const RegisterEvents& request) {
        self.requireHeld(request.handle, requestName);
        self.notifications_.registerFor(Handle(request.handle), request.mask, request.mechanism);
        return {DescriptorsReply{request.requestId, {}}, {}};
    }

    Reply operator()(const Send& request) {
        self.requireHeld(request.handle, requestName);
        std::size_t sent = 0;
        std::int64_t threadId = 0;
        auto sendHere = [&] {
            threadId = platform::currentThreadId();
            sent = platform::sendBytes(Handle(request.handle), request.bytes);
        };
        if (!request.fromSecondThread) {
            sendHere();
        } else {
            // The same descriptor, used from another thread: no duplication involved (C2).
            std::exception_ptr failure;
            std::thread([&] {
                try {
                    sendHere();
                } catch (...) {
                    failure = std::current_exception();
                }
            }).join();
            if (failure)
                std::rethrow_exception(failure);
        }
        return {SendReply{request.requestId, sent, threadId}, {}};
    }

    Reply operator()(const Receive& request) {
        self.requireHeld(request.handle, requestName);
        return {ReceiveReply{request.requestId,
                             platform::receiveBytes(Handle(request.handle), request.maxBytes,
                                                    std::chrono::milliseconds(request.waitMs))},
                {}};
    }

    Reply operator()(const CloseDescriptor& request) {
        self.requireHeld(request.handle, requestName);
        const Handle handle(request.handle);
        // Forgotten first: even a failing close leaves the descriptor released.
        self.forget(handle);
        platform::closeHandle(handle);
        return {DescriptorsReply{request.requestId, {}}, {}};
    }

    Reply operator()(const Observe& request) {
        ObservationReply reply{request.requestId, {}, {}};
        std::vector<Handle> handles;
        if (request.handles.empty())
            handles.assign(self.held_.begin(), self.held_.end());
        for (const std::int64_t handle : request.handles) {
            if (self.held_.contains(Handle(handle)))
                handles.push_back(Handle(handle));
        }
        for (const Handle handle : handles) {
            try {
                reply.descriptors.push_back(self.observe(handle));
            } catch (const OsError&) {
                // Closed behind the helper's back (or its number now names something else):
                // not a socket it holds any more. Said once; the others are still read.
                self.forget(handle);
                reply.unreadable.push_back(handle.value());
            }
        }
        return {reply, {}};
    }

    Reply operator()(const DuplicateForProcess& request) {
        self.requireHeld(request.handle, requestName);
        return {ProtocolInfoReply{
                    request.requestId,
                    platform::duplicateForProcess(Handle(request.handle), request.targetPid)},
                {}};
    }

    Reply operator()(const ImportProtocolInfo& request) {
        const Handle handle = platform::importProtocolInfo(request.protocolInfo, request.wsaFlags);
        // Wine hands out the same SOCKET again for reused protocol info: still one descriptor.
        if (self.held_.contains(handle))
            return {DescriptorsReply{request.requestId, {self.observe(handle)}}, {}};
        // A probe only asks what the platform does (C8): it keeps nothing.
        return {DescriptorsReply{request.requestId,
                                 {self.adopt(handle, request.wsaFlags, request.probe == 0)}},
                {}};
    }

    Reply operator()(const ListHolders& request) {
        HoldersReply reply = platform::listHolders(request.references);
        reply.requestId = request.requestId;
        return {std::move(reply), {}};
    }

    Reply operator()(const ListProcessSockets& request) {
        ProcessSocketsReply reply = platform::listProcessSockets(request.pid);
        reply.requestId = request.requestId;
        return {std::move(reply), {}};
    }

    Reply operator()(const SetInheritable& request) {
        self.requireHeld(request.handle, requestName);
        const Handle handle(request.handle);
        platform::setInheritable(handle, request.inheritable != 0);
        return {DescriptorsReply{request.requestId, {self.observe(handle)}}, {}};
    }

    Reply operator()(const StartChild& request) {
        return {ChildReply{request.requestId,
                           platform::startChild(request.inheritHandles != 0,
                                                std::chrono::milliseconds(request.lifetimeMs))},
                {}};
    }

    /// Replies and unsolicited messages are the helper's to send, never to receive.
    template <class NotARequest> Reply operator()(const NotARequest&) {
        throw refused(EINVAL, "EINVAL",
                      requestName + " is not a request; a helper only answers requests");
    }
};

RequestHandler::RequestHandler(platform::EventNotifications& notifications)
    : notifications_(notifications) {}

void RequestHandler::keep(Handle handle, std::uint32_t wsaFlags) {
    held_.insert(handle);
    wsaFlags_[handle] = wsaFlags;
}

void RequestHandler::forget(Handle handle) {
    held_.erase(handle);
    wsaFlags_.erase(handle);
    notifications_.forget(handle);
}

void RequestHandler::release(Handle handle) {
    forget(handle);
    closeQuietly(handle);
}

DescriptorObservation RequestHandler::adopt(Handle handle, std::uint32_t wsaFlags, bool keepIt) {
    keep(handle, wsaFlags);
    try {
        DescriptorObservation observation = observe(handle);
        if (!keepIt)
            release(handle);
        return observation;
    } catch (const OsError&) {
        release(handle); // not a socket we could describe: do not keep it
        throw;
    }
}

RequestHandler::~RequestHandler() {
    for (const Handle handle : held_)
        closeQuietly(handle);
}

RequestHandler::Reply RequestHandler::handle(const Message& request, std::vector<Handle> received) {
    const std::uint32_t requestId = requestIdOf(request);
    const std::string requestName(toString(typeOf(request)));
    // Only ImportDescriptor takes descriptors in; any others would leak.
    if (!std::holds_alternative<ImportDescriptor>(request))
        closeAll(received);
    try {
        return std::visit(Visitor{*this, received, requestName}, request);
    } catch (const OsError& error) {
        return {Failure{requestId, error.call(), error.code(), error.codeName(), error.sentence()},
                {}};
    } catch (const std::exception& error) {
        // E.g. an allocation failure: the request fails, the helper stays up.
        return {Failure{requestId, requestName, 0, "", requestName + " failed: " + error.what()},
                {}};
    }
}

void RequestHandler::requireHeld(std::int64_t handle, const std::string& requestName) const {
    if (held_.contains(Handle(handle)))
        return;
    // Not one the session holds here: the OS says what it is, so a descriptor closed in this
    // helper fails with the OS's own error from a real call (EBADF, WSAENOTSOCK).
    platform::describeSocket(Handle(handle));
    throw refused(EBADF, "not-held",
                  requestName + ": descriptor " + std::to_string(handle) +
                      " is an open socket of this helper that the session did not make (its "
                      "channel to the broker); socklens does not act on it");
}

protocol::DescriptorDescription RequestHandler::describe(Handle handle) const {
    const auto flags = wsaFlags_.find(handle);
    return {handle.value(), platform::describeSocket(handle),
            flags == wsaFlags_.end() ? 0 : flags->second};
}

protocol::DescriptorObservation RequestHandler::observe(Handle handle) const {
    DescriptorObservation observation{describe(handle), platform::registrationOwner(handle), {}};
    // Some options do not apply to every kind (TCP_NODELAY on UDP): a failure is a reading.
    for (const SocketOption option : allSocketOptions())
        observation.options.push_back(platform::readOption(handle, option));
    observation.handleCount = platform::handleCount(handle).value_or(0);
    observation.inheritance = platform::inheritanceOf(handle);
    return observation;
}

} // namespace socklens::helper
