# cmake -P script run by the install test (see CMakeLists.txt next to it).
# Inputs: BUILD_DIR WORK_DIR CONSUMER_DIR CONFIG GENERATOR CXX PKG_CONFIG SANITIZE.
cmake_minimum_required(VERSION 3.22)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "install test: `${command}` failed (${status}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

if(NOT CONFIG)
  set(CONFIG Release)
endif()
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# A sanitized library needs sanitized programs.
set(extra_flags "")
if(SANITIZE)
  set(extra_flags "-fsanitize=address,undefined")
endif()

# 1. Install into the scratch prefix.
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${CONFIG})
message(STATUS "installed into ${prefix}")

# 2. A CMake project: find_package(kerascpp), link kerascpp::kerascpp, run it.
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/cmake-build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${CONFIG} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX}
    "-DCMAKE_CXX_FLAGS=${extra_flags}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build --config ${CONFIG})
set(cmake_consumer ${WORK_DIR}/cmake-build/consumer)
run(${cmake_consumer} ${WORK_DIR}/cmake.npy)
message(STATUS "find_package consumer: ${run_output}")
if(NOT run_output MATCHES "consumer ok \\(2, 3\\)")
  message(FATAL_ERROR "install test: the find_package consumer printed: ${run_output}")
endif()

# The installed library must use the OpenMP build of OpenBLAS, whatever the
# system's default libopenblas.so.0 is: one thread pool, not two.
run(ldd ${cmake_consumer})
string(REGEX MATCH "libopenblas[^\n]*" openblas_line "${run_output}")
if(openblas_line AND NOT openblas_line MATCHES "openblas-openmp/")
  message(FATAL_ERROR "install test: the installed library loads ${openblas_line}, "
                      "not the OpenMP build of OpenBLAS")
endif()
file(GLOB_RECURSE shared_library ${prefix}/libkerascpp.so)
if(shared_library AND NOT run_output MATCHES "libkerascpp[^\n]*=> ${prefix}/")
  message(FATAL_ERROR "install test: the consumer does not load the installed libkerascpp:\n"
                      "${run_output}")
endif()

# 3. The same program built with pkg-config's flags.
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "install test: pkg-config was not found (scripts/bootstrap installs it)")
endif()
file(GLOB_RECURSE pc_file ${prefix}/*/kerascpp.pc)
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run(${PKG_CONFIG} --cflags --libs kerascpp)
string(STRIP "${run_output}" pc_flags)
message(STATUS "pkg-config --cflags --libs kerascpp: ${pc_flags}")
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags} ${extra_flags}")
set(pc_consumer ${WORK_DIR}/pkg-config-consumer)
run(${CXX} -std=c++20 ${CONSUMER_DIR}/main.cpp -o ${pc_consumer} ${pc_flags})
# pkg-config gives no run-time path: the library is found through LD_LIBRARY_PATH.
run(${PKG_CONFIG} --variable=libdir kerascpp)
string(STRIP "${run_output}" pc_libdir)
set(ENV{LD_LIBRARY_PATH} "${pc_libdir}:$ENV{LD_LIBRARY_PATH}")
run(${pc_consumer} ${WORK_DIR}/pkg-config.npy)
message(STATUS "pkg-config consumer: ${run_output}")
if(NOT run_output MATCHES "consumer ok \\(2, 3\\)")
  message(FATAL_ERROR "install test: the pkg-config consumer printed: ${run_output}")
endif()
