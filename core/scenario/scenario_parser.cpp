#include "model/text_file.h"
#include "scenario/scenario.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace socklens::scenario {

namespace {

/// How long a child of `start-child` holds what it inherited when the step does not say.
constexpr std::chrono::milliseconds kDefaultChildLifetime{30'000};

struct Token {
    std::string text;
    bool quoted = false;
};

constexpr std::array<std::pair<Verb, std::string_view>, 18> kVerbs{{
    {Verb::Spawn, "spawn"},
    {Verb::Create, "create"},
    {Verb::Duplicate, "duplicate"},
    {Verb::DuplicateToPid, "duplicate"}, // chosen by "into pid"; text lookups find Duplicate
    {Verb::HandOff, "handoff"},
    {Verb::Dup, "dup"},
    {Verb::Set, "set"},
    {Verb::Get, "get"},
    {Verb::Register, "register"},
    {Verb::Send, "send"},
    {Verb::Receive, "recv"},
    {Verb::Close, "close"},
    {Verb::Reuse, "reuse"},
    {Verb::Kill, "kill"},
    {Verb::StartChild, "start-child"},
    {Verb::NoInherit, "no-inherit"},
    {Verb::Wait, "wait"},
    {Verb::Expect, "expect"},
}};

constexpr std::array<std::pair<Quantity, std::string_view>, 13> kQuantities{{
    {Quantity::Count, "count"},
    {Quantity::Option, "option"},
    {Quantity::Owner, "owner"},
    {Quantity::Mask, "mask"},
    {Quantity::Events, "events"},
    {Quantity::Received, "received"},
    {Quantity::TcpState, "state"},
    {Quantity::Open, "open"},
    {Quantity::Closed, "closed"},
    {Quantity::Alive, "alive"},
    {Quantity::Dead, "dead"},
    {Quantity::Holders, "holders"},
    {Quantity::Flags, "flags"},
}};

constexpr std::array<std::pair<Comparison, std::string_view>, 6> kComparisons{{
    {Comparison::Equal, "=="},
    {Comparison::NotEqual, "!="},
    {Comparison::LessEqual, "<="},
    {Comparison::GreaterEqual, ">="},
    {Comparison::Less, "<"},
    {Comparison::Greater, ">"},
}};

/// A line that starts with one of these runs only on that backend.
constexpr std::array<std::pair<Platform, std::string_view>, 2> kPlatformPrefixes{{
    {Platform::Linux, "linux:"},
    {Platform::WinsockWine, "winsock:"},
}};

/// What a name stands for, and which lines may use it.
struct Name {
    bool process = false;
    std::optional<Platform> only; ///< defined on a `linux:`/`winsock:` line
};

std::string prefixOf(Platform platform) {
    for (const auto& [candidate, prefix] : kPlatformPrefixes) {
        if (candidate == platform)
            return std::string(prefix);
    }
    return {};
}

/// A word from the file in an error message: quoted, and cut short if long.
std::string quoted(const std::string& word) {
    return "\"" + excerpt(word) + "\"";
}

/// Whether `text` is written as a whole number: an optional minus and digits.
bool looksLikeNumber(std::string_view text) {
    if (text.starts_with('-'))
        text.remove_prefix(1);
    return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

template <class Table, class Value>
bool find(const Table& table, std::string_view text, Value& value) {
    for (const auto& [candidate, name] : table) {
        if (name == text) {
            value = candidate;
            return true;
        }
    }
    return false;
}

class LineParser {
public:
    LineParser(const std::string& source, int line, std::string text)
        : source_(source)
        , line_(line)
        , text_(std::move(text)) {}

    std::optional<Step> parse(std::map<std::string, Name>& names) {
        tokenize();
        if (tokens_.empty())
            return std::nullopt;
        Step step;
        step.line = line_;
        Platform only{};
        if (!tokens_.front().quoted && find(kPlatformPrefixes, tokens_.front().text, only)) {
            step.only = only;
            only_ = only;
            ++position_;
        }
        step.text = text_.substr(0, textEnd_);
        while (!step.text.empty() && std::isspace(static_cast<unsigned char>(step.text.back())))
            step.text.pop_back();
        step.text.erase(0, step.text.find_first_not_of(" \t"));
        step.claims = claims_;
        const std::string verb = take("a step");
        if (!find(kVerbs, verb, step.verb))
            error("unknown step " + quoted(verb) +
                  " (steps: spawn, create, duplicate, handoff, dup, set, "
                  "get, register, send, recv, close, reuse, kill, start-child, no-inherit, wait, "
                  "expect)");
        names_ = &names;
        // "... fails CODE": the step is expected to fail with that error code.
        if (tokens_.size() >= 3 && tokens_[tokens_.size() - 2].text == "fails" &&
            !tokens_[tokens_.size() - 2].quoted) {
            if (step.verb == Verb::Wait || step.verb == Verb::Expect)
                error("only an action can be expected to fail, not " + quoted(verb));
            step.expectedError = tokens_.back().text;
            tokens_.resize(tokens_.size() - 2);
        }
        parseVerb(step);
        if (position_ < tokens_.size())
            error("unexpected " + quoted(tokens_[position_].text) + " at the end of the step");
        // A step that must fail gives its names nothing to stand for: later steps may not use them.
        if (!step.expectedError.empty()) {
            for (const std::string& name : defined_)
                names.erase(name);
        }
        return step;
    }

private:
    [[noreturn]] void error(const std::string& problem) const {
        throw ScenarioError(source_ + ":" + std::to_string(line_) + ": " + problem);
    }

    void tokenize() {
        std::size_t i = 0;
        textEnd_ = text_.size();
        while (i < text_.size()) {
            const char c = text_[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
            } else if (c == '#') {
                textEnd_ = std::min(textEnd_, i);
                break;
            } else if (c == '"') {
                std::string value;
                ++i;
                bool closed = false;
                while (i < text_.size()) {
                    char d = text_[i++];
                    if (d == '"') {
                        closed = true;
                        break;
                    }
                    if (d == '\\' && i < text_.size()) {
                        const char escaped = text_[i++];
                        d = escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
                    }
                    value += d;
                }
                if (!closed)
                    error("a quoted text is not closed");
                tokens_.push_back(Token{value, true});
            } else if (c == '[') {
                textEnd_ = std::min(textEnd_, i);
                const std::size_t end = text_.find(']', i);
                if (end == std::string::npos)
                    error("a claim list \"[\" is not closed with \"]\"");
                std::istringstream claims(text_.substr(i + 1, end - i - 1));
                for (std::string claim; claims >> claim;) {
                    int number = 0;
                    const auto [rest, failure] =
                        std::from_chars(claim.data() + 1, claim.data() + claim.size(), number);
                    if (claim.size() < 2 || claim[0] != 'C' || failure != std::errc() ||
                        rest != claim.data() + claim.size() || number < 1 || number > 12)
                        error(quoted(claim) + " is not a claim ID (C1 ... C12)");
                    claims_.push_back("C" + std::to_string(number)); // [C05] counts as C5
                }
                i = end + 1;
            } else {
                const std::size_t end = text_.find_first_of(" \t\"#[", i);
                tokens_.push_back(Token{text_.substr(i, end - i), false});
                i = end == std::string::npos ? text_.size() : end;
            }
        }
    }

    std::string take(const char* what) {
        if (position_ >= tokens_.size())
            error("missing " + std::string(what));
        return tokens_[position_++].text;
    }

    /// Takes the next word if it is `word` (not quoted).
    bool takeWord(std::string_view word) {
        if (position_ >= tokens_.size() || tokens_[position_].quoted ||
            tokens_[position_].text != word)
            return false;
        ++position_;
        return true;
    }

    void keyword(std::string_view word) {
        const std::string found = take(std::string("\"" + std::string(word) + "\"").c_str());
        if (found != word)
            error("expected \"" + std::string(word) + "\", found " + quoted(found));
    }

    /// A name defined by an earlier step: processes by spawn, descriptors by create/dup/...
    std::string known(bool process) {
        const std::string name = take(process ? "a process name" : "a descriptor name");
        auto it = names_->find(name);
        if (it == names_->end())
            error(quoted(name) + " is not defined by an earlier step");
        if (it->second.process != process)
            error(quoted(name) + " is a " + (it->second.process ? "process" : "descriptor") +
                  ", not a " + (process ? "process" : "descriptor"));
        // A name from a backend's own line exists only when that backend runs.
        if (it->second.only && it->second.only != only_)
            error(quoted(name) + " is defined on a " + prefixOf(*it->second.only) +
                  " line, so only " + prefixOf(*it->second.only) + " lines can use it");
        return name;
    }

    std::string define(bool process) {
        std::string name = take(process ? "a name for the process" : "a name for the descriptor");
        if (!name.empty() && name.back() == ',')
            name.pop_back();
        if (name.empty())
            error("the name is empty");
        if (const auto it = names_->find(name); it != names_->end()) {
            // `linux: create ... as x` and `winsock: create ... as x`: x exists on both
            // backends (there are two), so every later line may use it.
            Name& existing = it->second;
            if (existing.process != process || !existing.only || !only_ || *existing.only == *only_)
                error(quoted(name) + " is already defined");
            existing.only.reset();
        } else {
            (*names_)[name] = Name{process, only_};
        }
        defined_.push_back(name);
        return name;
    }

    std::int64_t number(const char* what) { return numberFrom(take(what)); }

    /// The same sentences for every number in a file: `set`'s value, `expect`'s.
    std::int64_t numberFrom(const std::string& text) const {
        std::int64_t value = 0;
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (failure == std::errc::result_out_of_range)
            error(quoted(text) + " is out of range: a number in a scenario lies between " +
                  std::to_string(std::numeric_limits<std::int64_t>::min()) + " and " +
                  std::to_string(std::numeric_limits<std::int64_t>::max()));
        if (failure != std::errc() || end != text.data() + text.size())
            error(quoted(text) + " is not a number");
        return value;
    }

    SocketOption option() {
        const std::string name = take("an option name");
        const auto option = socketOptionFromString(name);
        if (!option)
            error(quoted(name) +
                  " is not an option socklens knows (SO_RCVBUF, SO_SNDBUF, "
                  "SO_KEEPALIVE, SO_REUSEADDR, SO_LINGER, SO_RCVLOWAT, TCP_NODELAY, IP_TTL)");
        return *option;
    }

    RegistrationMechanism mechanism() {
        const std::string name = take("a registration call");
        for (const RegistrationMechanism candidate :
             {RegistrationMechanism::FcntlSetOwn, RegistrationMechanism::WsaEventSelect,
              RegistrationMechanism::WsaAsyncSelect}) {
            if (toString(candidate) == name)
                return candidate;
        }
        error(quoted(name) + " is not a registration call (WSAEventSelect, WSAAsyncSelect, " +
              std::string(toString(RegistrationMechanism::FcntlSetOwn)) + ")");
    }

    EventMask mask() {
        const std::string text = take("an event mask");
        const auto mask = eventMaskFromString(text);
        if (!mask)
            error(quoted(text) +
                  " is not an event mask (FD_READ, FD_WRITE, FD_READ|FD_WRITE, none)");
        return *mask;
    }

    std::chrono::milliseconds duration() {
        const std::string text = take("a duration such as 2s or 500ms");
        std::int64_t value = 0;
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
        const std::string unit(end, text.data() + text.size());
        constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
        if (failure != std::errc() || value <= 0 || (unit != "s" && unit != "ms"))
            error(quoted(text) + " is not a duration such as 2s or 500ms");
        if ((unit == "s" && value > kDayMs / 1000) || (unit == "ms" && value > kDayMs))
            error(quoted(text) + " is longer than a day; a wait that long is a mistake");
        return std::chrono::milliseconds(unit == "s" ? value * 1000 : value);
    }

    Condition condition() {
        Condition condition;
        const std::size_t first = position_;
        const std::string quantity = take("a condition");
        if (!find(kQuantities, quantity, condition.quantity))
            error(quoted(quantity) + " is not a condition (count, option, owner, mask, events, "
                                     "received, state, open, closed, alive, dead, holders, "
                                     "flags)");
        const bool aboutProcess = condition.quantity == Quantity::Events ||
                                  condition.quantity == Quantity::Alive ||
                                  condition.quantity == Quantity::Dead;
        condition.subject = known(aboutProcess);
        if (condition.quantity == Quantity::Option)
            condition.argument = std::string(toString(option()));
        if (condition.quantity == Quantity::Events)
            condition.argument = eventMaskToString(mask());
        const bool predicate =
            condition.quantity == Quantity::Open || condition.quantity == Quantity::Closed ||
            condition.quantity == Quantity::Alive || condition.quantity == Quantity::Dead;
        if (!predicate) {
            const std::string op = take("a comparison (==, !=, <, <=, >, >=)");
            if (!find(kComparisons, op, condition.comparison))
                error(quoted(op) + " is not a comparison (==, !=, <, <=, >, >=)");
            condition.expected = take("the expected value");
            // Counts are numbers; any number is checked as `set` checks its own, so an
            // out-of-range one is refused rather than compared as text.
            const bool counted =
                condition.quantity == Quantity::Count || condition.quantity == Quantity::Events;
            if (counted || looksLikeNumber(condition.expected))
                numberFrom(condition.expected);
        }
        for (std::size_t i = first; i < position_; ++i)
            condition.text += (i == first ? "" : " ") +
                              (tokens_[i].quoted ? "\"" + tokens_[i].text + "\"" : tokens_[i].text);
        return condition;
    }

    void parseVerb(Step& step) {
        switch (step.verb) {
        case Verb::Spawn:
            step.names = {define(true)};
            break;
        case Verb::Create: {
            step.names = {known(true)};
            const std::string kind = take("a socket kind");
            const auto parsed = socketKindFromString(kind);
            if (!parsed)
                error(quoted(kind) +
                      " is not a socket kind (tcp-pair, tcp-listener, udp, unix-pair)");
            step.kind = *parsed;
            keyword("as");
            step.names.push_back(define(false));
            if (step.kind == SocketKind::TcpPair || step.kind == SocketKind::UnixPair)
                step.names.push_back(define(false));
            break;
        }
        case Verb::Duplicate:
        case Verb::DuplicateToPid:
        case Verb::HandOff:
            step.names = {known(false)};
            keyword("into");
            if (step.verb == Verb::Duplicate && takeWord("pid")) {
                step.verb = Verb::DuplicateToPid;
                step.value = number("a process id");
                break;
            }
            step.names.push_back(known(true));
            keyword("as");
            step.names.push_back(define(false));
            break;
        case Verb::Dup:
            step.names = {known(false)};
            keyword("as");
            step.names.push_back(define(false));
            break;
        case Verb::Set:
            step.names = {known(false)};
            step.option = option();
            step.value = number("the value to set");
            break;
        case Verb::Get:
            step.names = {known(false)};
            step.option = option();
            break;
        case Verb::Register:
            step.names = {known(false)};
            step.mask = mask();
            if (takeWord("with"))
                step.mechanism = mechanism();
            break;
        case Verb::Send:
            step.names = {known(false)};
            if (position_ >= tokens_.size() || !tokens_[position_].quoted)
                error("send needs the text to send in double quotes");
            step.payload = take("the text to send");
            if (position_ < tokens_.size() && tokens_[position_].text == "from-thread") {
                step.fromSecondThread = true;
                ++position_;
            }
            break;
        case Verb::Receive:
        case Verb::NoInherit:
        case Verb::Close:
        case Verb::Reuse:
            step.names = {known(false)};
            break;
        case Verb::Kill:
            step.names = {known(true)};
            break;
        case Verb::StartChild:
            step.names = {known(true)};
            keyword("as");
            step.names.push_back(define(true));
            if (takeWord("not-inheriting"))
                step.inheritHandles = false;
            else
                takeWord("inheriting");
            step.within = takeWord("for") ? duration() : kDefaultChildLifetime;
            break;
        case Verb::Wait:
            step.condition = condition();
            keyword("within");
            step.within = duration();
            break;
        case Verb::Expect:
            step.condition = condition();
            break;
        }
    }

    const std::string& source_;
    int line_;
    std::string text_;
    std::size_t textEnd_ = 0; ///< where the step's own text ends: a claim list or a comment
    std::vector<Token> tokens_;
    std::vector<std::string> claims_;
    std::size_t position_ = 0;
    std::map<std::string, Name>* names_ = nullptr;
    std::optional<Platform> only_;     ///< the line's `linux:`/`winsock:` prefix
    std::vector<std::string> defined_; ///< names this line defines
};

} // namespace

std::string_view toString(Verb verb) {
    for (const auto& [candidate, name] : kVerbs) {
        if (candidate == verb)
            return name;
    }
    return "step";
}

Scenario parseScenario(const std::string& text, const std::string& name,
                       const std::string& source) {
    if (text.size() > kMaxScenarioBytes)
        throw ScenarioError(source + ": the scenario is " + bytesText(text.size()) +
                            ", larger than a scenario may be (" + bytesText(kMaxScenarioBytes) +
                            ")");
    Scenario scenario{name, source, {}};
    std::map<std::string, Name> names;
    std::istringstream lines(text);
    if (text.starts_with("\xEF\xBB\xBF")) // a UTF-8 byte-order mark, as some editors write
        lines.seekg(3);
    int number = 0;
    std::string line;
    for (LineRead read;
         (read = readBoundedLine(lines, line, kMaxScenarioLineBytes)).status != LineRead::End;) {
        ++number;
        if (read.status == LineRead::TooLong)
            throw ScenarioError(source + ":" + std::to_string(number) +
                                ": the line is longer than " + bytesText(kMaxScenarioLineBytes) +
                                " (it starts " + quoted(line) + ")");
        if (std::optional<Step> step = LineParser(source, number, line).parse(names))
            scenario.steps.push_back(std::move(*step));
    }
    if (scenario.steps.empty())
        throw ScenarioError(source + ": the scenario has no steps");
    return scenario;
}

} // namespace socklens::scenario
