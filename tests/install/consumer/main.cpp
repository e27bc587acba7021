// Uses the installed headers and library: prints "consumer ok" when the
// library's answers are right, exits 1 otherwise.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <keras/io/npy.hpp>
#include <keras/tensor.hpp>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "consumer.npy";
  const keras::Tensor x({2, 3}, {1, 2, 3, 4, 5, 6});
  keras::io::save_npy(path, x);
  const keras::Tensor back = keras::io::load_npy(path);
  std::filesystem::remove(path);
  if (back.shape() != keras::Shape({2, 3}) || back.to_vector<float>() != x.to_vector<float>()) {
    std::cerr << "consumer: wrong round trip: " << back.to_string() << "\n";
    return 1;
  }
  try {
    keras::io::decode_npy("not a .npy file");
    std::cerr << "consumer: a keras::Error was expected\n";
    return 1;
  } catch (const keras::Error&) {
    // Exceptions cross the library boundary as keras::Error.
  }
  std::cout << "consumer ok " << back.shape().to_string() << "\n";
  return 0;
}
