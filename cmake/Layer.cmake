# tls12_layer(NAME DEPS...): the library target for one layer folder.
# Every .cpp in the folder belongs to the layer; headers are included as
# "layer/file.h" from the repository root (once installed, from
# <prefix>/include/tls12, cmake/Install.cmake). A layer with no sources yet is an
# INTERFACE target so that the layers above can already name it.
function(tls12_layer name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    add_library(tls12_${name} STATIC ${sources})
    target_include_directories(tls12_${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/tls12>)
    target_link_libraries(tls12_${name} PUBLIC ${ARGN} PRIVATE tls12_warnings)
  else()
    add_library(tls12_${name} INTERFACE)
    target_include_directories(tls12_${name} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                     $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/tls12>)
    target_link_libraries(tls12_${name} INTERFACE ${ARGN})
  endif()
endfunction()
