#pragma once
// Replacing a file so that a save that fails or is interrupted at any point
// leaves the existing file intact and no temporary file behind: the one way
// the .keras and .h5 writers put their files on disk.
#include <functional>
#include <string>

namespace keras::saving {

// Lets write create and fill a temporary file beside path (the name it is
// given), flushes that file to disk and renames it over path. On any failure
// the temporary file is removed and the exception propagates; failures of
// the flush or the rename throw keras::Error starting with context (which
// names the file, e.g. `save("m.keras")`).
void write_atomically(const std::string& path, const std::string& context,
                      const std::function<void(const std::string& tmp_path)>& write);

}  // namespace keras::saving
