# Third-party libraries, all from Debian packages (scripts/bootstrap installs them).
find_package(OpenMP REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(ZLIB REQUIRED)  # gunzip of the Fashion-MNIST IDX files

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
