#include "support.hpp"

#include <dlfcn.h>
#include <execinfo.h>
#include <sanitizer/allocator_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>

namespace keras::fuzz {

namespace {

std::map<std::string, std::string>& paths() {
  static std::map<std::string, std::string> by_suffix;
  return by_suffix;
}

void remove_files() {
  for (const auto& [suffix, path] : paths()) std::remove(path.c_str());
}

// ---- the allocation guard (see support.hpp) ----

constexpr std::size_t kMaxAllocation = std::size_t{256} << 20;
thread_local bool in_guard = false;

// The allocation functions the sanitizer runtime exports: the frame after
// the last of them is the code that asked for the memory.
bool is_allocator(const char* symbol) {
  static const char* const kNames[] = {"malloc",         "calloc",    "realloc",
                                       "posix_memalign", "memalign",  "aligned_alloc",
                                       "valloc",         "_Znwm",     "_Znam",
                                       "_ZnwmSt11align_val_t", "_ZnamSt11align_val_t"};
  if (symbol == nullptr) return false;
  // The runtime names its wrappers __interceptor_malloc and so on.
  constexpr std::string_view kPrefix = "__interceptor_";
  if (std::string_view(symbol).substr(0, kPrefix.size()) == kPrefix) symbol += kPrefix.size();
  for (const char* name : kNames) {
    if (std::strcmp(symbol, name) == 0) return true;
  }
  return false;
}

bool allocated_by_hdf5() {
  void* frames[24];
  const int n = backtrace(frames, 24);
  int caller = -1;
  for (int i = 0; i < n; ++i) {
    Dl_info info;
    if (dladdr(frames[i], &info) != 0 && is_allocator(info.dli_sname)) caller = i + 1;
  }
  if (caller < 0 || caller >= n) return false;
  Dl_info info;
  return dladdr(frames[caller], &info) != 0 && info.dli_fname != nullptr &&
         std::strstr(info.dli_fname, "libhdf5") != nullptr;
}

// KERASCPP_FUZZ_STRICT_HDF5=1 holds HDF5 to the same limit (to check that
// src/saving/h5_precheck.cpp leaves it no size to trust).
bool strict_hdf5() {
  static const bool strict = [] {
    const char* value = std::getenv("KERASCPP_FUZZ_STRICT_HDF5");
    return value != nullptr && std::strcmp(value, "1") == 0;
  }();
  return strict;
}

void on_malloc(const volatile void*, std::size_t size) {
  if (size <= kMaxAllocation || in_guard) return;
  in_guard = true;
  if (strict_hdf5() || !allocated_by_hdf5()) {
    std::fprintf(stderr,
                 "==%d== kerascpp fuzz: an allocation of %zu bytes, more than the %zu "
                 "allowed for any input:\n",
                 static_cast<int>(getpid()), size, kMaxAllocation);
    __sanitizer_print_stack_trace();
    std::abort();
  }
  in_guard = false;
}

void on_free(const volatile void*) {}

[[maybe_unused]] const bool guard_installed = [] {
  // backtrace() loads its unwinder on first use, which allocates: do it now.
  void* frame[1];
  backtrace(frame, 1);
  return __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0;
}();

}  // namespace

const std::string& write_input_file(const std::uint8_t* data, std::size_t size,
                                    const std::string& suffix) {
  auto [it, added] = paths().try_emplace(suffix);
  if (added) {
    // /dev/shm when it exists (a tmpfs); else the temporary folder.
    const char* folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    it->second = std::string(folder) + "/kerascpp-fuzz-" + std::to_string(getpid()) + suffix;
    if (paths().size() == 1) std::atexit(remove_files);
  }
  std::FILE* f = std::fopen(it->second.c_str(), "wb");
  if (f == nullptr) std::abort();  // the fuzzing set-up is broken, not the reader
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  if (std::fclose(f) != 0) std::abort();
  return it->second;
}

}  // namespace keras::fuzz
