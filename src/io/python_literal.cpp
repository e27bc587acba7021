#include "io/python_literal.hpp"

#include <cctype>

#include "keras/error.hpp"

namespace keras::io::detail {

namespace {

// Deep enough for any dtype numpy writes; shallow enough that "((((...(" from
// a hostile file cannot exhaust the stack.
constexpr int kMaxDepth = 16;

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  PyValue parse_document() {
    PyValue value = parse_value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected " + describe_here() + " after the literal");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(what + " at offset " + std::to_string(pos_));
  }

  std::string describe_here() const {
    if (pos_ >= text_.size()) return "end of text";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (std::isprint(c)) return std::string("character '") + static_cast<char>(c) + "'";
    static const char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool peek_is(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }

  void expect(char c) {
    if (!peek_is(c)) fail(std::string("expected '") + c + "', got " + describe_here());
    ++pos_;
  }

  PyValue parse_value(int depth) {
    if (depth > kMaxDepth) fail("literal nested deeper than " + std::to_string(kMaxDepth));
    skip_space();
    if (pos_ >= text_.size()) fail("expected a value, got end of text");
    const char c = text_[pos_];
    if (c == '{') return parse_dict(depth);
    if (c == '(') return parse_tuple(depth);
    if (c == '[') return parse_sequence(depth, '[', ']', PyValue::Kind::list);
    if (c == '\'' || c == '"') return parse_string();
    if (c == '-' || c == '+' || std::isdigit(static_cast<unsigned char>(c))) {
      return parse_integer();
    }
    if (std::isalpha(static_cast<unsigned char>(c))) return parse_name();
    fail("expected a value, got " + describe_here());
  }

  // Elements separated by commas, an optional trailing comma, then `close`.
  std::vector<PyValue> parse_elements(int depth, char close, bool* saw_comma) {
    std::vector<PyValue> items;
    *saw_comma = false;
    while (!peek_is(close)) {
      items.push_back(parse_value(depth + 1));
      if (peek_is(',')) {
        ++pos_;
        *saw_comma = true;
      } else if (!peek_is(close)) {
        fail(std::string("expected ',' or '") + close + "', got " + describe_here());
      }
    }
    ++pos_;
    return items;
  }

  PyValue parse_sequence(int depth, char open, char close, PyValue::Kind kind) {
    expect(open);
    bool saw_comma = false;
    PyValue value;
    value.kind = kind;
    value.items = parse_elements(depth, close, &saw_comma);
    return value;
  }

  // As in Python, "(3)" is the integer 3 and "(3,)" a one-element tuple.
  PyValue parse_tuple(int depth) {
    expect('(');
    bool saw_comma = false;
    std::vector<PyValue> items = parse_elements(depth, ')', &saw_comma);
    if (items.size() == 1 && !saw_comma) return std::move(items[0]);
    PyValue value;
    value.kind = PyValue::Kind::tuple;
    value.items = std::move(items);
    return value;
  }

  PyValue parse_dict(int depth) {
    expect('{');
    PyValue value;
    value.kind = PyValue::Kind::dict;
    while (!peek_is('}')) {
      if (!peek_is('\'') && !peek_is('"')) fail("expected a string key, got " + describe_here());
      std::string key = parse_string().text;
      expect(':');
      value.keys.push_back(std::move(key));
      value.items.push_back(parse_value(depth + 1));
      if (peek_is(',')) {
        ++pos_;
      } else if (!peek_is('}')) {
        fail("expected ',' or '}', got " + describe_here());
      }
    }
    ++pos_;
    return value;
  }

  PyValue parse_string() {
    const char quote = text_[pos_++];
    PyValue value;
    value.kind = PyValue::Kind::string;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') fail("unterminated string");
      char c = text_[pos_++];
      if (c == quote) break;
      if (c == '\\') {
        if (pos_ >= text_.size()) fail("unterminated string");
        c = text_[pos_++];  // \\, \', \" stand for the character itself
      }
      value.text.push_back(c);
    }
    return value;
  }

  PyValue parse_integer() {
    PyValue value;
    value.kind = PyValue::Kind::integer;
    const std::size_t start = pos_;
    bool negative = false;
    if (text_[pos_] == '-' || text_[pos_] == '+') negative = text_[pos_++] == '-';
    if (pos_ >= text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      fail("expected digits, got " + describe_here());
    }
    // Accumulate as a negative number so that INT64_MIN fits.
    std::int64_t acc = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      const int digit = text_[pos_++] - '0';
      if (acc < (INT64_MIN + digit) / 10) value.integer_overflows = true;
      if (!value.integer_overflows) acc = acc * 10 - digit;
    }
    if (!negative && acc == INT64_MIN) value.integer_overflows = true;
    // An overflowing value is never used (callers check integer_overflows), and
    // negating INT64_MIN would itself overflow.
    value.integer = value.integer_overflows ? 0 : negative ? acc : -acc;
    value.text = std::string(text_.substr(start, pos_ - start));
    // Python 2 numpy wrote long integers as "3L".
    if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l')) ++pos_;
    if (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                text_[pos_] == '.' || text_[pos_] == '_')) {
      fail("expected an integer, got " + describe_here());
    }
    return value;
  }

  PyValue parse_name() {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    const std::string_view name = text_.substr(start, pos_ - start);
    PyValue value;
    if (name == "True" || name == "False") {
      value.kind = PyValue::Kind::boolean;
      value.boolean = name == "True";
    } else if (name == "None") {
      value.kind = PyValue::Kind::none;
    } else {
      pos_ = start;
      fail("unknown name '" + std::string(name) + "'");
    }
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view describe(PyValue::Kind kind) {
  switch (kind) {
    case PyValue::Kind::none: return "None";
    case PyValue::Kind::boolean: return "a bool";
    case PyValue::Kind::integer: return "an integer";
    case PyValue::Kind::string: return "a string";
    case PyValue::Kind::tuple: return "a tuple";
    case PyValue::Kind::list: return "a list";
    case PyValue::Kind::dict: return "a dict";
  }
  return "a value";
}

PyValue parse_python_literal(std::string_view text) { return Parser(text).parse_document(); }

}  // namespace keras::io::detail
