# cmake --install: headers, the library, a CMake package (find_package(kerascpp)
# gives kerascpp::kerascpp) and a pkg-config file kerascpp.pc. Both packages are
# relocatable: `cmake --install build --prefix DIR` works for any DIR.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/keras DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS kerascpp EXPORT kerascppTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# kerascpp_blas is a private link dependency that only carries flags; a static
# libkerascpp passes it on to the programs that link it.
install(TARGETS kerascpp_blas EXPORT kerascppTargets)
install(EXPORT kerascppTargets NAMESPACE kerascpp::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kerascpp)

# What users of the installed library must find too: the libraries in kerascpp's
# link interface. For a shared library that is OpenMP alone; a static library also
# passes on its private dependencies (CMake lists them as $<LINK_ONLY:...>).
# Each imported target maps to "find_package arguments|pkg-config module".
set(KERASCPP_DEPENDENCY_MAP
  "OpenMP::OpenMP_CXX|OpenMP|"
  "nlohmann_json::nlohmann_json|nlohmann_json 3|"
  "ZLIB::ZLIB|ZLIB|zlib"
  "libzip::zip|libzip|libzip"
  "hdf5::hdf5|HDF5 COMPONENTS C|hdf5"
  "HDF5::HDF5|HDF5 COMPONENTS C|hdf5"
  "fmt::fmt|fmt|fmt"
  "DNNL::dnnl|dnnl|")
set(KERASCPP_FIND_DEPENDENCIES "")
set(KERASCPP_PC_REQUIRES "")
set(KERASCPP_PC_LIBS "")
get_target_property(KERASCPP_INTERFACE_LIBS kerascpp INTERFACE_LINK_LIBRARIES)
foreach(item IN LISTS KERASCPP_INTERFACE_LIBS)
  string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" item "${item}")
  if(item STREQUAL "kerascpp_blas")
    # Exported with kerascpp for CMake; pkg-config users get the library itself,
    # with a run-time path that keeps the OpenMP build of OpenBLAS (the system's
    # default libopenblas.so.0 may be the pthread build, a second thread pool).
    get_filename_component(KERASCPP_OPENBLAS_LIBDIR ${KERASCPP_OPENBLAS_LIB} DIRECTORY)
    string(APPEND KERASCPP_PC_LIBS " -Wl,-rpath,${KERASCPP_OPENBLAS_LIBDIR} ${KERASCPP_OPENBLAS_LIB}")
  elseif(TARGET "${item}")
    set(found OFF)
    foreach(entry IN LISTS KERASCPP_DEPENDENCY_MAP)
      string(REPLACE "|" ";" fields "${entry}")
      list(GET fields 0 name)
      if(name STREQUAL item)
        list(GET fields 1 package)
        list(GET fields 2 module)
        if(package MATCHES "^HDF5")
          # FindHDF5 test-compiles a C program: a C++-only user project needs C.
          string(APPEND KERASCPP_FIND_DEPENDENCIES "enable_language(C)\n")
        endif()
        string(APPEND KERASCPP_FIND_DEPENDENCIES "find_dependency(${package})\n")
        if(module)
          string(APPEND KERASCPP_PC_REQUIRES " ${module}")
        endif()
        set(found ON)
      endif()
    endforeach()
    if(NOT found)
      message(WARNING "cmake/Install.cmake: add ${item} to KERASCPP_DEPENDENCY_MAP, or the "
                      "installed (static) kerascpp cannot be used")
    endif()
  elseif(NOT item MATCHES "^\\$<")
    string(APPEND KERASCPP_PC_LIBS " ${item}")  # a plain library path or flag
  endif()
endforeach()
string(STRIP "${KERASCPP_PC_REQUIRES}" KERASCPP_PC_REQUIRES)
# A shared library's private dependencies matter only to `pkg-config --static`.
get_target_property(KERASCPP_LIBRARY_TYPE kerascpp TYPE)
set(KERASCPP_PC_LIBS_PRIVATE "")
if(NOT KERASCPP_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  set(KERASCPP_PC_LIBS_PRIVATE "${KERASCPP_OPENBLAS_LIB}")
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/kerascppConfig.cmake.in
  ${PROJECT_BINARY_DIR}/kerascppConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kerascpp)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kerascppConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kerascppConfig.cmake
              ${PROJECT_BINARY_DIR}/kerascppConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kerascpp)

# kerascpp.pc finds the prefix from its own location (${pcfiledir}), so it stays
# right when the install prefix is chosen at install time.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(KERASCPP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(KERASCPP_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(KERASCPP_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH KERASCPP_PC_UP "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" KERASCPP_PC_UP "${KERASCPP_PC_UP}")
  set(KERASCPP_PC_PREFIX "\${pcfiledir}/${KERASCPP_PC_UP}")
  set(KERASCPP_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(KERASCPP_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/kerascpp.pc.in ${PROJECT_BINARY_DIR}/kerascpp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kerascpp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
