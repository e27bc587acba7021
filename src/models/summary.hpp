#pragma once
// Keras' print_summary (keras/src/utils/summary_utils.py).
#include <string>

#include "keras/model.hpp"
#include "models/functional.hpp"

namespace keras::detail {

// The text model.summary() prints, without colours, as Keras 3.15.1 does.
std::string print_summary(const FunctionalImpl& model, const SummaryOptions& options);

// Keras' default line-length cap: shutil.get_terminal_size().columns (the
// COLUMNS variable, else the width of stdout when it is a terminal, else 80).
int terminal_columns();
// rich's console width: COLUMNS, else the first terminal among stdin,
// stdout and stderr, else 80.
int console_columns();

}  // namespace keras::detail
