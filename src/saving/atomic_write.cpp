#include "saving/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "keras/error.hpp"

namespace keras::saving {
namespace {

// Beside the target, so the final rename stays on one file system; the pid
// and a counter keep concurrent saves (threads or processes) apart.
std::string temporary_path(const std::string& path) {
  static std::atomic<int> counter{0};
  return path + ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

// A rename is only as durable as the data it points at: without this a crash
// soon after the save can leave an empty file where the old one was.
void flush_to_disk(const std::string& path, const std::string& context) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw Error(context + ": cannot reopen the written file to flush it.");
  const int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) throw Error(context + ": cannot flush the written file to disk.");
}

}  // namespace

void write_atomically(const std::string& path, const std::string& context,
                      const std::function<void(const std::string& tmp_path)>& write) {
  const std::string tmp = temporary_path(path);
  try {
    write(tmp);
    flush_to_disk(tmp, context);
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(context + ": cannot replace the file: " + ec.message() + ".");
  }
}

}  // namespace keras::saving
