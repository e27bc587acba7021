// KerasArchive and write_archive over libzip.
#include "saving/keras_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <memory>

#include "keras/error.hpp"
#include "saving/atomic_write.hpp"

namespace keras::saving {

namespace {

// Deflate cannot expand data more than about 1032 times; a member claiming
// more than that is lying about its size.
constexpr std::int64_t kMaxDeflateRatio = 1032;

struct ZipCloser {
  void operator()(zip_t* z) const {
    if (z != nullptr) zip_discard(z);
  }
};
using ZipHandle = std::unique_ptr<zip_t, ZipCloser>;

struct ZipFileCloser {
  void operator()(zip_file_t* f) const {
    if (f != nullptr) zip_fclose(f);
  }
};

std::string zip_open_error(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

KerasArchive KerasArchive::read(const std::string& path, const std::string& context,
                                const std::map<std::string, std::int64_t>& max_sizes) {
  KerasArchive archive;
  archive.context_ = context;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(context + ": no such file (or it is not a regular file).");
  }
  archive.file_size_ = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  if (ec) throw Error(context + ": cannot read the file size: " + ec.message() + ".");

  int code = 0;
  ZipHandle zip(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code));
  if (!zip) {
    const std::string why = code == ZIP_ER_NOZIP    ? "the file is not a zip archive"
                            : code == ZIP_ER_INCONS ? "the zip archive is inconsistent or truncated"
                            : code == ZIP_ER_EXISTS
                                ? "the zip archive holds two members of the same name"
                                : zip_open_error(code);
    throw Error(context + ": " + why + " (a .keras file is a zip archive).");
  }
  const zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0) throw Error(context + ": cannot list the zip archive.");

  std::map<std::string, zip_uint64_t> wanted;
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* raw = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (raw == nullptr)
      throw Error(context + ": cannot read the name of zip entry " + std::to_string(i) + ".");
    const std::string name = raw;
    if (max_sizes.count(name) == 0) continue;
    if (wanted.count(name) != 0) {
      throw Error(context + ": the archive holds the member " + quoted(name) +
                  " twice; which one is meant is ambiguous.");
    }
    wanted[name] = static_cast<zip_uint64_t>(i);
  }

  for (const auto& [name, index] : wanted) {
    const std::string where = context + ": member " + quoted(name);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), index, 0, &st) != 0) throw Error(where + ": cannot be read.");
    const zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
    if ((st.valid & needed) != needed) throw Error(where + ": its sizes are not recorded.");
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      throw Error(where + " is encrypted; kerascpp reads plain archives only.");
    }
    if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
      throw Error(where + " uses compression method " + std::to_string(st.comp_method) +
                  "; kerascpp reads stored and deflated members.");
    }
    // Every size is checked against the file before anything is allocated.
    const auto size = static_cast<std::int64_t>(std::min<zip_uint64_t>(st.size, INT64_MAX));
    const auto comp_size =
        static_cast<std::int64_t>(std::min<zip_uint64_t>(st.comp_size, INT64_MAX));
    if (comp_size > archive.file_size_) {
      throw Error(where + " claims " + std::to_string(comp_size) + " compressed bytes, more than " +
                  "the whole file (" + std::to_string(archive.file_size_) +
                  " bytes): the file is truncated or damaged.");
    }
    const bool stored = st.comp_method == ZIP_CM_STORE;
    const std::int64_t justified =
        stored ? comp_size
               : (comp_size > INT64_MAX / kMaxDeflateRatio ? INT64_MAX
                                                           : comp_size * kMaxDeflateRatio + 64);
    if (size > justified) {
      throw Error(where + " claims " + std::to_string(size) + " bytes, which its " +
                  std::to_string(comp_size) + " stored bytes cannot hold: the file is damaged.");
    }
    if (size > max_sizes.at(name)) {
      throw Error(where + " is " + std::to_string(size) + " bytes, more than the " +
                  std::to_string(max_sizes.at(name)) + " kerascpp accepts for it.");
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip.get(), index, 0));
    if (!file) {
      throw Error(where + ": cannot be opened: " + zip_strerror(zip.get()) + ".");
    }
    std::string data(static_cast<std::size_t>(size), '\0');
    std::int64_t done = 0;
    while (done < size) {
      const zip_int64_t n =
          zip_fread(file.get(), data.data() + done, static_cast<zip_uint64_t>(size - done));
      if (n < 0) {
        throw Error(where + ": cannot be read: " + zip_file_strerror(file.get()) +
                    " (damaged or truncated file?).");
      }
      if (n == 0) break;
      done += n;
    }
    // One more read reaches the end of the data, where libzip checks the CRC.
    char extra = 0;
    const zip_int64_t more = done == size ? zip_fread(file.get(), &extra, 1) : 0;
    if (done != size || more != 0) {
      throw Error(where + ": its data " +
                  (more < 0
                       ? std::string("fails its checksum")
                       : "does not match its recorded size of " + std::to_string(size) + " bytes") +
                  " (damaged or truncated file?).");
    }
    archive.members_[name] = std::move(data);
  }
  return archive;
}

const std::string& KerasArchive::member(const std::string& name) const {
  auto it = members_.find(name);
  if (it == members_.end()) {
    throw Error(context_ + ": the archive has no member " + quoted(name) +
                "; is this a .keras file saved by Keras 3 or kerascpp?");
  }
  return it->second;
}

// ---- writing ----

namespace {

void write_members(const std::string& tmp, const std::vector<ArchiveMember>& members,
                   const std::string& context) {
  int code = 0;
  ZipHandle zip(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
  if (!zip) {
    throw Error(context +
                ": cannot create the file (does its folder exist, and is it "
                "writable?): " +
                zip_open_error(code) + ".");
  }
  const std::time_t now = std::time(nullptr);
  for (const ArchiveMember& m : members) {
    // The data outlives zip_close (members is the caller's), so no copy.
    zip_source_t* source = zip_source_buffer(zip.get(), m.data.data(), m.data.size(), 0);
    if (source == nullptr) throw Error(context + ": cannot add " + quoted(m.name) + ".");
    const zip_int64_t index = zip_file_add(zip.get(), m.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      throw Error(context + ": cannot add " + quoted(m.name) + ": " + zip_strerror(zip.get()));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    // DOS date 1980-01-01 00:00:00: day 1, month 1, year 0.
    const bool dated = m.dated_now ? zip_file_set_mtime(zip.get(), i, now, 0) == 0
                                   : zip_file_set_dostime(zip.get(), i, 0, (1 << 5) | 1, 0) == 0;
    if (zip_set_file_compression(zip.get(), i, ZIP_CM_STORE, 0) != 0 || !dated) {
      throw Error(context + ": cannot set up " + quoted(m.name) + ": " + zip_strerror(zip.get()));
    }
  }
  zip_t* raw = zip.release();
  if (zip_close(raw) != 0) {
    const std::string why = zip_strerror(raw);
    zip_discard(raw);
    throw Error(context + ": writing the archive failed: " + why + ".");
  }
}

}  // namespace

void write_archive(const std::string& path, const std::vector<ArchiveMember>& members,
                   const std::string& context) {
  write_atomically(path, context,
                   [&](const std::string& tmp) { write_members(tmp, members, context); });
}

}  // namespace keras::saving
