#pragma once
// Plain-text rendering of the table Keras' summary() prints through the
// `rich` library (Table with box.HEAVY_HEAD, show_lines, fixed column widths,
// one space of padding), and of rich's console line wrapping and cropping,
// reproduced rule by rule so that the bytes match.
#include <string>
#include <vector>

namespace keras::detail::rich {

enum class Justify { left, center, right, none };
enum class Overflow { ellipsis, fold };

struct Column {
  std::string header;
  Justify justify = Justify::left;
  int width = 0;  // content width Keras asks for (rich adds 2 for padding)
};

// Number of terminal cells the UTF-8 text takes.
int cell_len(const std::string& text);

// rich's Text.wrap: word wrap at spaces into lines of at most `width` cells;
// a word longer than a line is folded (fold) or cut with "…" (ellipsis);
// lines are then justified (padded to width unless justify is none).
std::vector<std::string> wrap(const std::string& text, int width, Justify justify,
                              Overflow overflow);

// The table, `table_width` cells wide, each line ending in '\n'.
std::string render_table(const std::vector<Column>& columns,
                         const std::vector<std::vector<std::string>>& rows, int table_width);

// What console.print(text) writes on a console `console_width` cells wide.
std::string print_text(const std::string& text, int console_width);

// Cuts every line to at most `console_width` cells, as rich's console crops.
std::string crop_lines(const std::string& text, int console_width);

}  // namespace keras::detail::rich
