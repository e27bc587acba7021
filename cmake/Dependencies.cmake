# Third-party libraries, all from Debian packages (scripts/bootstrap installs them).
find_package(OpenMP REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(ZLIB REQUIRED)  # gunzip of the Fashion-MNIST IDX files
# libzip (libzip-dev): the zip archive of .keras files. Found directly, not with
# find_package(libzip): Debian 12's libzip CMake package also names the
# zipcmp/zipmerge/ziptool programs, which libzip-dev does not install, and
# fails to load without them.
find_path(KERASCPP_LIBZIP_INCLUDE zip.h)
find_library(KERASCPP_LIBZIP_LIB zip)
if(NOT KERASCPP_LIBZIP_INCLUDE OR NOT KERASCPP_LIBZIP_LIB)
  message(FATAL_ERROR "libzip was not found: run scripts/bootstrap (Debian package libzip-dev)")
endif()

# GEMM: the OpenMP build of OpenBLAS, so BLAS and our kernels share one thread
# pool (the pthread build would start a second pool fighting for the cores).
set(KERASCPP_OPENBLAS_DIR /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp
    CACHE PATH "Folder of the OpenMP build of OpenBLAS")
find_library(KERASCPP_OPENBLAS_LIB NAMES openblas PATHS ${KERASCPP_OPENBLAS_DIR} NO_DEFAULT_PATH)
find_path(KERASCPP_CBLAS_INCLUDE cblas.h
          PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp NO_DEFAULT_PATH)
if(NOT KERASCPP_OPENBLAS_LIB OR NOT KERASCPP_CBLAS_INCLUDE)
  message(FATAL_ERROR "The OpenMP build of OpenBLAS was not found: run scripts/bootstrap "
                      "(Debian package libopenblas-openmp-dev)")
endif()
add_library(kerascpp_blas INTERFACE)
target_include_directories(kerascpp_blas INTERFACE ${KERASCPP_CBLAS_INCLUDE})
target_link_libraries(kerascpp_blas INTERFACE ${KERASCPP_OPENBLAS_LIB})

# HDF5 (serial C library, libhdf5-dev): the .weights.h5 files of Keras 3.
# FindHDF5 test-compiles a C program through the h5cc wrapper, so it needs C.
enable_language(C)
find_package(HDF5 REQUIRED COMPONENTS C)

# oneDNN (libdnnl-dev, OpenMP build: the same thread pool): the float32
# convolutions, 1.2-3x faster here than im2col + OpenBLAS (see
# src/backend/cpu/conv_onednn.hpp). Its CMake package gives DNNL::dnnl.
find_package(dnnl CONFIG REQUIRED)
