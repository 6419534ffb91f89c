# `cmake --install`: the layer libraries, their headers and the public header,
# a CMake package (find_package(tls12) -> tls12::tls12) and a pkg-config file
# (tls12.pc). Layout under the prefix:
#   include/tls12/tls12.h          the header applications include first
#   include/tls12/<layer>/*.h      the layer headers it includes, as "layer/file.h"
#   lib/libtls12_<layer>.a         one static library per layer
#   lib/cmake/tls12/               tls12Config.cmake and the exported targets
#   lib/pkgconfig/tls12.pc
include(CMakePackageConfigHelpers)

set(tls12_layers crypto x509 record handshake protocol)
set_target_properties(tls12_api PROPERTIES EXPORT_NAME tls12)
set(tls12_install_targets tls12_api tls12_warnings)
foreach(layer ${tls12_layers})
  list(APPEND tls12_install_targets tls12_${layer})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tls12/${layer}
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/include/tls12/tls12.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tls12)
# tls12_warnings is a link-only dependency of the static libraries, so it is
# exported too; it adds nothing to a program that links them.
install(TARGETS ${tls12_install_targets} EXPORT tls12Targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT tls12Targets NAMESPACE tls12:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tls12)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tls12Config.cmake.in
                              ${PROJECT_BINARY_DIR}/tls12Config.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tls12)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tls12ConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tls12Config.cmake ${PROJECT_BINARY_DIR}/tls12ConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tls12)

# The .pc file finds the prefix from where it lies (pkg-config's ${pcfiledir}),
# so that `cmake --install --prefix ANYWHERE` gives a working file.
file(RELATIVE_PATH tls12_pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/tls12.pc.in ${PROJECT_BINARY_DIR}/tls12.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tls12.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
