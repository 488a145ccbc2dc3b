// An immutable text shared by every journal entry that carries the same words. A session
// repeats a few texts (a handoff step's sentence, "duplicated", a command) tens of thousands
// of times; each entry holds an 8-byte handle to one interned copy instead of a string.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace socklens {

class SharedText {
public:
    SharedText();
    SharedText(std::string_view text); // NOLINT: implicit, so entries are built from strings
    SharedText(const std::string& text)
        : SharedText(std::string_view(text)) {}
    SharedText(const char* text)
        : SharedText(std::string_view(text)) {}

    const std::string& str() const { return *text_; }
    operator const std::string&() const { return *text_; } // NOLINT: reads as a string
    operator std::string_view() const { return *text_; }   // NOLINT
    const char* c_str() const { return text_->c_str(); }
    const char* data() const { return text_->data(); }
    std::size_t size() const { return text_->size(); }
    bool empty() const { return text_->empty(); }
    bool starts_with(std::string_view prefix) const { return text_->starts_with(prefix); }
    std::size_t find(std::string_view part, std::size_t from = 0) const {
        return text_->find(part, from);
    }

    // Interned: equal texts are the same object.
    friend bool operator==(const SharedText& a, const SharedText& b) { return a.text_ == b.text_; }
    friend bool operator==(const SharedText& a, std::string_view b) { return *a.text_ == b; }
    friend bool operator==(const SharedText& a, const char* b) { return *a.text_ == b; }
    friend std::strong_ordering operator<=>(const SharedText& a, const SharedText& b) {
        return *a.text_ <=> *b.text_;
    }

    friend std::string operator+(const std::string& a, const SharedText& b) { return a + *b.text_; }
    friend std::string operator+(const SharedText& a, const std::string& b) { return *a.text_ + b; }
    friend std::string operator+(const char* a, const SharedText& b) { return a + *b.text_; }
    friend std::string operator+(const SharedText& a, const char* b) { return *a.text_ + b; }
    friend std::string operator+(std::string&& a, const SharedText& b) {
        return std::move(a) + *b.text_;
    }
    friend std::ostream& operator<<(std::ostream& out, const SharedText& text) {
        return out << *text.text_;
    }

private:
    const std::string* text_;
};

/// How many distinct texts are interned (for the memory measurement).
std::size_t sharedTextCount();

} // namespace socklens

template <> struct std::hash<socklens::SharedText> {
    std::size_t operator()(const socklens::SharedText& text) const {
        return std::hash<std::string>()(text.str());
    }
};
