// libFuzzer target of the .keras reader: keras::load_model on the input
// written to a file ending in .keras (a zip of config.json, metadata.json and
// model.weights.h5). Every input must either load or throw keras::Error.
//
// Byte-level mutations of a zip archive mostly break its checksums, so they
// would only ever test the zip reader. A custom mutator therefore also opens
// the archive, mutates one member (its bytes, or for the JSON members a value
// of the parsed JSON: a number made absurd, a string swapped, a key dropped),
// drops or renames a member, and zips the result again, so the config reader
// and the HDF5 weights reader see damaged contents inside a sound archive.
#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support.hpp"
#include "keras/error.hpp"
#include "keras/saving.hpp"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                        std::size_t max_size);

namespace {

using json = nlohmann::ordered_json;

struct Member {
  std::string name;
  std::string data;
};

// The members of a zip archive in memory; false when it is not one (or a
// member is larger than max_member).
bool unzip(const std::uint8_t* data, std::size_t size, std::size_t max_member,
           std::vector<Member>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data, size, 0, &error);
  if (source == nullptr) return false;
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    return false;
  }
  bool ok = true;
  const zip_int64_t entries = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; ok && i < entries; ++i) {
    zip_stat_t st;
    const auto index = static_cast<zip_uint64_t>(i);
    if (zip_stat_index(archive, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_NAME) || st.size > max_member) {
      ok = false;
      break;
    }
    Member m{st.name, std::string(st.size, '\0')};
    zip_file_t* file = zip_fopen_index(archive, index, 0);
    ok = file != nullptr &&
         zip_fread(file, m.data.data(), st.size) == static_cast<zip_int64_t>(st.size);
    if (file != nullptr) zip_fclose(file);
    members.push_back(std::move(m));
  }
  zip_discard(archive);
  zip_error_fini(&error);
  return ok;
}

// A zip archive of the members (stored, or deflated when deflate is set).
bool zip_members(const std::vector<Member>& members, bool deflate, std::string& out) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return false;
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    zip_source_free(buffer);
    return false;
  }
  for (const Member& m : members) {
    zip_source_t* s = zip_source_buffer(archive, m.data.data(), m.data.size(), 0);
    const zip_int64_t index =
        s == nullptr ? -1 : zip_file_add(archive, m.name.c_str(), s, ZIP_FL_ENC_RAW);
    if (index < 0) {
      if (s != nullptr) zip_source_free(s);
      continue;  // e.g. a renamed member that now clashes with another
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                             deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
  }
  bool ok = zip_close(archive) == 0;
  if (!ok) zip_discard(archive);
  if (ok && zip_source_open(buffer) == 0) {
    zip_source_seek(buffer, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    out.assign(static_cast<std::size_t>(size < 0 ? 0 : size), '\0');
    ok = size >= 0 && zip_source_read(buffer, out.data(), out.size()) == size;
    zip_source_close(buffer);
  } else {
    ok = false;
  }
  zip_source_free(buffer);
  return ok;
}

// Every value of a JSON document, in document order.
void collect(json& v, std::vector<json*>& out) {
  out.push_back(&v);
  if (v.is_object() || v.is_array()) {
    for (auto& item : v) collect(item, out);
  }
}

// Changes one value of the JSON text; false when it is not JSON.
bool mutate_json(std::string& text, std::mt19937& rng) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return false;
  std::vector<json*> values;
  collect(doc, values);
  json& v = *values[rng() % values.size()];
  static const std::vector<json> odd = {
      0,    -1,   1,    2,    3,    -2147483648, 2147483647, 2147483648LL, 4294967296LL,
      1e30, -1e30, 0.5, nullptr, true, "", json::array(), json::object(), json::array({0}),
      json::array({nullptr, 0}), json::array({-1, -1}), "Dense", "Sequential", "Functional",
      "InputLayer", "LSTM", "Conv2D", "same", "valid", "channels_first", "relu", "float16"};
  switch (rng() % 6) {
    case 0:
    case 1: v = odd[rng() % odd.size()]; break;
    case 2: v = *values[rng() % values.size()]; break;  // a copy of another value
    case 3:
      if (v.is_object() && !v.empty()) {
        auto it = v.begin();
        std::advance(it, static_cast<long>(rng() % v.size()));
        v.erase(it.key());
      } else if (v.is_array() && !v.empty()) {
        v.erase(rng() % v.size());
      }
      break;
    case 4:
      if (v.is_array() && !v.empty()) v.push_back(v[rng() % v.size()]);
      if (v.is_number_integer()) v = v.get<std::int64_t>() * 1000 + 1;
      break;
    default:
      if (v.is_number()) v = -v.get<double>();
      if (v.is_string()) v = v.get<std::string>() + "_1";
      break;
  }
  text = doc.dump();
  return true;
}

std::size_t raw_mutate(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  return LLVMFuzzerMutate(data, size, max_size);
}

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                               std::size_t max_size, unsigned int seed) {
  std::mt19937 rng(seed);
  std::vector<Member> members;
  if (rng() % 5 == 0 || !unzip(data, size, max_size, members) || members.empty()) {
    return raw_mutate(data, size, max_size);
  }
  Member& m = members[rng() % members.size()];
  const unsigned op = rng() % 16;
  if (op == 0) {
    members.erase(members.begin() + static_cast<long>(&m - members.data()));
  } else if (op == 1) {
    static const char* names[] = {"config.json", "metadata.json", "model.weights.h5", "x"};
    m.name = names[rng() % 4];
  } else if (op < 8 && mutate_json(m.data, rng)) {
    // mutated as JSON
  } else {
    // Bytes of the member: up to twice its size.
    const std::size_t room = m.data.size() * 2 + 64;
    std::string buffer = m.data;
    buffer.resize(room);
    const std::size_t n =
        raw_mutate(reinterpret_cast<std::uint8_t*>(buffer.data()), m.data.size(), room);
    buffer.resize(n);
    m.data = std::move(buffer);
  }
  std::string out;
  if (!zip_members(members, rng() % 10 == 0, out) || out.size() > max_size) {
    return raw_mutate(data, size, max_size);
  }
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = keras::fuzz::write_input_file(data, size, ".keras");
  try {
    keras::load_model(path);
  } catch (const keras::Error&) {
  }
  return 0;
}
