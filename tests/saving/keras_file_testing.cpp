#include "saving/keras_file_testing.hpp"

#include <zip.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "common/fixture_case_testing.hpp"
#include "keras/io/npy.hpp"
#include "saving/compile_config.hpp"

namespace keras::keras_file_testing {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) {
  return std::string(KERASCPP_FIXTURES_DIR) + "/saving_keras/models/" + name;
}

std::vector<fs::path> fixture_cases() {
  std::vector<fs::path> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(KERASCPP_FIXTURES_DIR) / "saving_keras" / "models")) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Tensor> numbered_npy(const fs::path& dir, const std::string& prefix) {
  std::vector<Tensor> out;
  for (int i = 0;; ++i) {
    const fs::path one = dir / (prefix + std::to_string(i) + ".npy");
    std::string two_digits = std::to_string(i);
    if (two_digits.size() < 2) two_digits = "0" + two_digits;
    const fs::path two = dir / (prefix + two_digits + ".npy");
    if (fs::exists(one)) {
      out.push_back(io::load_npy(one.string()));
    } else if (fs::exists(two)) {
      out.push_back(io::load_npy(two.string()));
    } else {
      return out;
    }
  }
}

std::string read_text(const fs::path& path) { return kerascpp_testing::common::read_file(path); }

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

namespace {
zip_t* open_zip(const std::string& archive) {
  int code = 0;
  zip_t* z = zip_open(archive.c_str(), ZIP_RDONLY, &code);
  if (z == nullptr) throw std::runtime_error("cannot open the zip " + archive);
  return z;
}
}  // namespace

std::string read_member(const std::string& archive, const std::string& member) {
  zip_t* z = open_zip(archive);
  zip_stat_t st;
  if (zip_stat(z, member.c_str(), 0, &st) != 0) {
    zip_discard(z);
    throw std::runtime_error(archive + " has no member " + member);
  }
  std::string data(st.size, '\0');
  zip_file_t* f = zip_fopen(z, member.c_str(), 0);
  const zip_int64_t n = f != nullptr ? zip_fread(f, data.data(), st.size) : -1;
  if (f != nullptr) zip_fclose(f);
  zip_discard(z);
  if (n != static_cast<zip_int64_t>(st.size)) throw std::runtime_error("cannot read " + member);
  return data;
}

std::vector<std::string> archive_entries(const std::string& archive) {
  zip_t* z = open_zip(archive);
  std::vector<std::string> out;
  const zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    out.push_back(std::string(st.name) +
                  (st.comp_method == ZIP_CM_STORE ? ":stored" : ":deflated"));
  }
  zip_discard(z);
  return out;
}

void expect_close(const Tensor& got, const Tensor& want, double tol, const std::string& what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  const auto a = got.astype(DType::float64).to_vector<double>();
  const auto b = want.astype(DType::float64).to_vector<double>();
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_LE(std::abs(a[i] - b[i]), tol * std::max(1.0, std::abs(b[i])))
        << what << " [" << i << "]: " << a[i] << " vs " << b[i];
  }
}

Tensor ramp(const Shape& shape, float scale) {
  std::vector<float> v(static_cast<std::size_t>(shape.num_elements()));
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = scale * static_cast<float>(i % 7) - 0.3f;
  return Tensor(shape, v);
}

nlohmann::ordered_json optimizer_config(const optimizers::Optimizer& optimizer) {
  return saving::optimizer_json(optimizer.impl());
}

optimizers::Optimizer optimizer_from(const nlohmann::ordered_json& config) {
  return saving::optimizer_from_config(config, "test");
}

}  // namespace keras::keras_file_testing
