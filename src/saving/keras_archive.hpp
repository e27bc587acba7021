#pragma once
// The zip archive of a .keras file (libzip): reading its members into memory
// with every size checked before anything is allocated, and writing a new
// archive atomically (a temporary file beside the target, flushed, then
// renamed over it). Keeps zip.h out of every other file.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace keras::saving {

class KerasArchive {
 public:
  // Opens path and reads the named members (those present; a name that is
  // not in the archive is simply absent). Throws keras::Error starting with
  // context when the file is missing, is not a zip archive, is truncated or
  // inconsistent, holds a wanted member twice, an encrypted or oddly
  // compressed one, or one whose size the archive cannot justify.
  // max_sizes bounds each wanted member's uncompressed size.
  static KerasArchive read(const std::string& path, const std::string& context,
                           const std::map<std::string, std::int64_t>& max_sizes);

  bool has(const std::string& member) const { return members_.count(member) > 0; }
  // Throws keras::Error naming the file and the member when it is absent.
  const std::string& member(const std::string& name) const;
  std::int64_t file_size() const { return file_size_; }

 private:
  std::string context_;
  std::map<std::string, std::string> members_;
  std::int64_t file_size_ = 0;
};

struct ArchiveMember {
  std::string name;
  std::string data;
  // Keras' own archives date the JSON members 1980-01-01 (zipfile's default)
  // and the weights file with the time of saving.
  bool dated_now = false;
};

// Writes the members, uncompressed (as Keras does), to a temporary file in
// path's folder, flushes it to disk and renames it over path: an interrupted
// save leaves an existing file intact. Throws keras::Error starting with context.
void write_archive(const std::string& path, const std::vector<ArchiveMember>& members,
                   const std::string& context);

}  // namespace keras::saving
