// kerascpp plot: the model's graph as DOT text (keras::utils::model_to_dot),
// printed, written to a .dot file, or drawn by Graphviz's `dot` program.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <keras/error.hpp>
#include <keras/saving.hpp>
#include <keras/utils/model_to_dot.hpp>
#include <string>
#include <vector>

#include "model_commands.hpp"

extern char** environ;

namespace kerascpp_tool {

namespace {

std::string extension_of(const std::string& path) {
  return std::filesystem::path(path).extension().string();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw keras::Error("cannot write " + path + ".");
}

// Whether an executable named `program` is on PATH.
bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string dirs(path);
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// Runs `dot -T<format> -o output input` and waits for it.
void render(const std::string& dot_file, const std::string& format, const std::string& output) {
  std::vector<std::string> args{"dot", "-T" + format, "-o", output, dot_file};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "dot", nullptr, nullptr, argv.data(), environ) != 0) {
    throw keras::Error("could not run Graphviz's dot program.");
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw keras::Error("Graphviz's dot failed to draw " + output + ".");
  }
}

}  // namespace

int run_plot(const PlotCommandOptions& options) {
  std::string format;
  if (!options.output.empty()) {
    const std::string ext = extension_of(options.output);
    if (ext == ".svg" || ext == ".png" || ext == ".pdf") {
      format = ext.substr(1);
    } else if (ext != ".dot" && ext != ".gv") {
      std::cerr << "kerascpp plot: cannot tell the format of " << options.output
                << "; name it .dot, .gv, .svg, .png or .pdf.\n";
      return 2;
    }
  }
  // Checked before the model is read: a missing program is the likelier mistake.
  if (!format.empty() && !on_path("dot")) {
    throw keras::Error("drawing " + options.output +
                       " needs Graphviz's dot program, which is not installed (Debian: "
                       "apt-get install graphviz); write a .dot file instead.");
  }
  const keras::Model model = keras::load_model(options.model, {.compile = false});
  keras::utils::ModelToDotOptions dot_options;
  dot_options.rankdir = options.rankdir;
  dot_options.show_dtype = options.show_dtype;
  dot_options.show_trainable = options.show_trainable;
  const std::string dot = keras::utils::model_to_dot(model, dot_options);
  if (options.output.empty()) {
    std::cout << dot;
    return 0;
  }
  if (format.empty()) {
    write_text(options.output, dot);
  } else {
    const std::string temporary = options.output + ".dot.tmp";
    write_text(temporary, dot);
    try {
      render(temporary, format, options.output);
    } catch (...) {
      std::remove(temporary.c_str());
      throw;
    }
    std::remove(temporary.c_str());
  }
  std::cout << options.output << "\n";
  return 0;
}

}  // namespace kerascpp_tool
