#pragma once
// What every fuzz target shares.
//
// write_input_file: libFuzzer hands a target bytes, and most kerascpp readers
// take a path (the extension chooses the format). The bytes go to a file in
// /dev/shm (memory, not disk) whose name is unique to this process; it is
// removed at exit.
//
// Linking this file also installs an allocation guard: any single allocation
// above 256 MiB aborts with its stack (libFuzzer then keeps the input), as
// libFuzzer's -malloc_limit_mb=256 would, except for allocations made by the
// HDF5 C library itself. HDF5 1.10.8 (and HDF5's current code) mallocs some
// metadata blocks with a size read from the file before checking it against
// the end of the file (H5C__load_entry, for the classes that are not loaded
// speculatively, e.g. object header continuation chunks): a damaged file can
// make it ask for terabytes. Under glibc such a request fails or is freed
// unused when the read past the end of the file fails, and HDF5 returns an
// error, which the readers turn into keras::Error; nothing before the call
// can see the size. scripts/fuzz therefore passes a huge -malloc_limit_mb to
// the HDF5 targets and lets this guard hold everything else to 256 MiB.
// src/saving/h5_precheck.cpp now bounds by the file every size HDF5 takes
// from it (continuation chunks included), so the exemption should no longer
// be needed: KERASCPP_FUZZ_STRICT_HDF5=1 holds HDF5 to the same 256 MiB, to
// check that.
#include <cstddef>
#include <cstdint>
#include <string>

namespace keras::fuzz {

// Writes the bytes to /dev/shm/kerascpp-fuzz-<pid><suffix> (suffix such as
// ".keras") and returns the path. The same path is reused by every call of a
// process with that suffix.
const std::string& write_input_file(const std::uint8_t* data, std::size_t size,
                                    const std::string& suffix);

}  // namespace keras::fuzz
