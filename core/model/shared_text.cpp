#include "model/shared_text.h"

#include <mutex>
#include <unordered_set>

namespace socklens {

namespace {

// Never shrinks: an interned text lives as long as the program, so a handle never dangles.
// Entries are made on the engine thread and read back from files on worker threads.
struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
        return std::hash<std::string_view>()(text);
    }
};

struct Pool {
    std::mutex mutex;
    std::unordered_set<std::string, TransparentHash, std::equal_to<>> texts;
};

Pool& pool() {
    static Pool* const instance = new Pool; // never destroyed: handles outlive static teardown
    return *instance;
}

const std::string* intern(std::string_view text) {
    Pool& texts = pool();
    const std::lock_guard lock(texts.mutex);
    if (const auto found = texts.texts.find(text); found != texts.texts.end())
        return &*found;
    return &*texts.texts.emplace(text).first;
}

const std::string* emptyText() {
    static const std::string* const empty = intern({});
    return empty;
}

} // namespace

SharedText::SharedText()
    : text_(emptyText()) {}

SharedText::SharedText(std::string_view text)
    : text_(intern(text)) {}

std::size_t sharedTextCount() {
    Pool& texts = pool();
    const std::lock_guard lock(texts.mutex);
    return texts.texts.size();
}

} // namespace socklens
