// rich's table and text layout rules (rich/table.py, rich/text.py,
// rich/_wrap.py, rich/_ratio.py, rich/containers.py), for plain output.
#include "models/summary_table.hpp"

#include <cfenv>
#include <cmath>
#include <numeric>

namespace keras::detail::rich {

namespace {

using Text = std::u32string;

Text decode(const std::string& s) {
  Text out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    int extra = 0;
    if (c >= 0xF0) {
      cp = c & 0x07;
      extra = 3;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      extra = 2;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      extra = 1;
    }
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    }
    out.push_back(cp);
  }
  return out;
}

std::string encode(const Text& t) {
  std::string out;
  for (char32_t cp : t) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// Cells one character takes: 0 for control and combining characters, 2 for
// East Asian wide ones (the main blocks), else 1.
int char_width(char32_t c) {
  if ((c != 0 && c < 32) || (c >= 0x7F && c < 0xA0)) return 0;
  if ((c >= 0x300 && c <= 0x36F) || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFE0F) {
    return 0;
  }
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
      (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

int width_of(const Text& t) {
  int n = 0;
  for (char32_t c : t) n += char_width(c);
  return n;
}

// Python's str.isspace() characters (what \s matches).
bool is_space(char32_t c) {
  return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

Text rstrip(Text t) {
  while (!t.empty() && is_space(t.back())) t.pop_back();
  return t;
}

// Crops or pads with spaces to exactly `total` cells.
Text set_cell_size(const Text& t, int total) {
  if (total <= 0) return {};
  Text out;
  int used = 0;
  for (char32_t c : t) {
    const int w = char_width(c);
    if (used + w > total) break;
    out.push_back(c);
    used += w;
  }
  out.append(static_cast<std::size_t>(total - used), U' ');
  return out;
}

// rich's Text.truncate.
Text truncate(Text t, int max_width, Overflow overflow, bool pad) {
  const int length = width_of(t);
  if (length > max_width) {
    t = overflow == Overflow::ellipsis ? set_cell_size(t, max_width - 1) + U"\u2026"
                                       : set_cell_size(t, max_width);
  }
  if (pad && length < max_width) t.append(static_cast<std::size_t>(max_width - length), U' ');
  return t;
}

// rich's chop_cells: splits a word into pieces of at most `width` cells.
std::vector<Text> chop_cells(const Text& word, int width) {
  std::vector<Text> lines(1);
  int total = 0;
  for (char32_t c : word) {
    const int w = char_width(c);
    if (total + w > width) {
      lines.push_back(Text(1, c));
      total = w;
    } else {
      lines.back().push_back(c);
      total += w;
    }
  }
  return lines;
}

// rich's divide_line: the offsets at which to break one line of text.
std::vector<std::size_t> divide_line(const Text& text, int width, bool fold) {
  std::vector<std::size_t> breaks;
  int cell_offset = 0;
  std::size_t position = 0;
  while (true) {
    // A "word": leading spaces, non-spaces, trailing spaces (regex \s*\S+\s*).
    std::size_t p = position;
    while (p < text.size() && is_space(text[p])) ++p;
    if (p == text.size()) break;
    while (p < text.size() && !is_space(text[p])) ++p;
    while (p < text.size() && is_space(text[p])) ++p;
    std::size_t start = position;
    const Text word = text.substr(position, p - position);
    position = p;

    const int word_length = width_of(rstrip(word));
    const int remaining = width - cell_offset;
    if (remaining >= word_length) {
      cell_offset += width_of(word);
    } else if (word_length > width) {
      if (fold) {
        const std::vector<Text> pieces = chop_cells(word, width);
        for (std::size_t i = 0; i < pieces.size(); ++i) {
          if (start) breaks.push_back(start);
          if (i + 1 == pieces.size()) {
            cell_offset = width_of(pieces[i]);
          } else {
            start += pieces[i].size();
          }
        }
      } else {
        if (start) breaks.push_back(start);
        cell_offset = width_of(word);
      }
    } else if (cell_offset && start) {
      breaks.push_back(start);
      cell_offset = width_of(word);
    }
  }
  return breaks;
}

std::vector<Text> wrap_text(const Text& text, int width, Justify justify, Overflow overflow) {
  std::vector<Text> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t nl = text.find(U'\n', begin);
    const Text line = text.substr(begin, nl == Text::npos ? Text::npos : nl - begin);
    const std::vector<std::size_t> offsets = divide_line(line, width, overflow == Overflow::fold);
    std::vector<Text> pieces;
    std::size_t from = 0;
    for (std::size_t at : offsets) {
      pieces.push_back(line.substr(from, at - from));
      from = at;
    }
    pieces.push_back(line.substr(from));
    for (Text& piece : pieces) {
      // rstrip_end: drop trailing spaces that stick out of the line.
      if (static_cast<int>(piece.size()) > width) {
        const std::size_t excess = piece.size() - static_cast<std::size_t>(width);
        std::size_t spaces = 0;
        while (spaces < piece.size() && is_space(piece[piece.size() - 1 - spaces])) ++spaces;
        piece.resize(piece.size() - std::min(spaces, excess));
      }
      switch (justify) {
        case Justify::left: piece = truncate(piece, width, overflow, true); break;
        case Justify::center: {
          piece = truncate(rstrip(piece), width, overflow, false);
          const int len = width_of(piece);
          const int left = (width - len) / 2;
          piece = Text(static_cast<std::size_t>(std::max(left, 0)), U' ') + piece;
          const int right = width - width_of(piece);
          piece.append(static_cast<std::size_t>(std::max(right, 0)), U' ');
          break;
        }
        case Justify::right: {
          piece = truncate(rstrip(piece), width, overflow, false);
          const int left = width - width_of(piece);
          piece = Text(static_cast<std::size_t>(std::max(left, 0)), U' ') + piece;
          break;
        }
        case Justify::none: break;
      }
      out.push_back(truncate(piece, width, overflow, false));
    }
    if (nl == Text::npos) break;
    begin = nl + 1;
  }
  return out;
}

// Python's round(): halves go to the even neighbour.
long long round_half_even(double x) {
  const int old = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const double r = std::nearbyint(x);
  std::fesetround(old);
  return static_cast<long long>(r);
}

// rich's ratio_reduce: takes `total` away from values, evenly (ratios of 1).
std::vector<int> ratio_reduce(int total, const std::vector<int>& maximums,
                              const std::vector<int>& values) {
  std::vector<int> ratios;
  for (int m : maximums) ratios.push_back(m ? 1 : 0);
  int total_ratio = std::accumulate(ratios.begin(), ratios.end(), 0);
  if (!total_ratio) return values;
  int remaining = total;
  std::vector<int> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (ratios[i] && total_ratio > 0) {
      const int distributed = static_cast<int>(std::min<long long>(
          maximums[i], round_half_even(static_cast<double>(ratios[i]) * remaining / total_ratio)));
      out.push_back(values[i] - distributed);
      remaining -= distributed;
      total_ratio -= ratios[i];
    } else {
      out.push_back(values[i]);
    }
  }
  return out;
}

// rich's ratio_distribute with the widths as ratios (an expanding table).
std::vector<int> ratio_distribute(int total, const std::vector<int>& ratios) {
  int total_ratio = std::accumulate(ratios.begin(), ratios.end(), 0);
  if (total_ratio <= 0) return std::vector<int>(ratios.size(), 0);
  int remaining = total;
  std::vector<int> out;
  for (int r : ratios) {
    const int d =
        total_ratio > 0
            ? static_cast<int>(std::ceil(static_cast<double>(r) * remaining / total_ratio))
            : remaining;
    out.push_back(d);
    total_ratio -= r;
    remaining -= d;
  }
  return out;
}

Text repeat(const Text& s, int n) {
  Text out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

Text rule(const std::vector<int>& widths, const Text& left, const Text& horizontal,
          const Text& cross, const Text& right) {
  Text out = left;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) out += cross;
    out += repeat(horizontal, widths[i]);
  }
  out += right;
  out += U'\n';
  return out;
}

// One row: each cell wrapped in its column, padded by one space each side,
// aligned to the bottom (header) or the top (body) of the row.
Text render_row(const std::vector<Column>& columns, const std::vector<std::string>& cells,
                const std::vector<int>& widths, bool header, const Text& vertical) {
  std::vector<std::vector<Text>> rendered;
  std::size_t height = 1;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int content = std::max(widths[i] - 2, 0);
    std::vector<Text> lines;
    for (const Text& l : wrap_text(decode(i < cells.size() ? cells[i] : std::string()),
                                   std::max(content, 1), columns[i].justify, Overflow::ellipsis)) {
      Text cell(1, U' ');
      cell += set_cell_size(l, content);
      cell += U' ';
      lines.push_back(set_cell_size(cell, widths[i]));
    }
    height = std::max(height, lines.size());
    rendered.push_back(std::move(lines));
  }
  for (std::size_t i = 0; i < rendered.size(); ++i) {
    const Text blank(static_cast<std::size_t>(widths[i]), U' ');
    const std::size_t missing = height - rendered[i].size();
    if (header) {
      rendered[i].insert(rendered[i].begin(), missing, blank);
    } else {
      rendered[i].insert(rendered[i].end(), missing, blank);
    }
  }
  Text out;
  for (std::size_t line = 0; line < height; ++line) {
    out += vertical;
    for (std::size_t i = 0; i < rendered.size(); ++i) {
      if (i) out += vertical;
      out += rendered[i][line];
    }
    out += vertical;
    out += U'\n';
  }
  return out;
}

}  // namespace

int cell_len(const std::string& text) { return width_of(decode(text)); }

std::vector<std::string> wrap(const std::string& text, int width, Justify justify,
                              Overflow overflow) {
  std::vector<std::string> out;
  for (const Text& t : wrap_text(decode(text), width, justify, overflow)) out.push_back(encode(t));
  return out;
}

std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows, int table_width) {
  // Column widths: Keras' widths plus padding, reduced evenly until the table
  // and its n + 1 border characters fit in table_width (Table._calculate_column_widths).
  const int n = static_cast<int>(columns.size());
  std::vector<int> widths;
  for (const Column& c : columns) widths.push_back(c.width + 2);
  const int max_width = table_width - (n + 1);
  int total = std::accumulate(widths.begin(), widths.end(), 0);
  if (total > max_width) {
    widths = ratio_reduce(total - max_width, widths, widths);
    for (int& w : widths) w = std::max(w, 0);
    total = std::accumulate(widths.begin(), widths.end(), 0);
  }
  if (total < max_width) {  // a table with a width expands its columns
    const std::vector<int> extra = ratio_distribute(max_width - total, widths);
    for (std::size_t i = 0; i < widths.size(); ++i) widths[i] += extra[i];
  }

  std::vector<std::string> headers;
  for (const Column& c : columns) headers.push_back(c.header);
  Text out = rule(widths, U"\u250f", U"\u2501", U"\u2533", U"\u2513");  // ┏━┳┓
  out += render_row(columns, headers, widths, true, U"\u2503");         // ┃
  out += rule(widths, U"\u2521", U"\u2501", U"\u2547", U"\u2529");      // ┡━╇┩
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r) out += rule(widths, U"\u251c", U"\u2500", U"\u253c", U"\u2524");  // ├─┼┤
    out += render_row(columns, rows[r], widths, false, U"\u2502");           // │
  }
  out += rule(widths, U"\u2514", U"\u2500", U"\u2534", U"\u2518");  // └─┴┘
  return encode(out);
}

std::string print_text(const std::string& text, int console_width) {
  std::string out;
  for (const std::string& line : wrap(text, console_width, Justify::none, Overflow::fold)) {
    out += line + "\n";
  }
  return out;
}

std::string crop_lines(const std::string& text, int console_width) {
  const Text t = decode(text);
  Text out;
  std::size_t begin = 0;
  while (begin < t.size()) {
    std::size_t nl = t.find(U'\n', begin);
    const bool has_nl = nl != Text::npos;
    if (!has_nl) nl = t.size();
    Text line = t.substr(begin, nl - begin);
    if (width_of(line) > console_width) line = set_cell_size(line, console_width);
    out += line;
    if (has_nl) out += U'\n';
    begin = nl + 1;
  }
  return encode(out);
}

}  // namespace keras::detail::rich
