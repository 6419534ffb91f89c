# tls12_layer(NAME DEPS...): the library target for one layer folder.
# Every .cpp in the folder belongs to the layer; headers are included as
# "layer/file.h" from the repository root. A layer with no sources yet is an
# INTERFACE target so that the layers above can already name it.
function(tls12_layer name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    add_library(tls12_${name} STATIC ${sources})
    target_include_directories(tls12_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(tls12_${name} PUBLIC ${ARGN} PRIVATE tls12_warnings)
  else()
    add_library(tls12_${name} INTERFACE)
    target_include_directories(tls12_${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(tls12_${name} INTERFACE ${ARGN})
  endif()
endfunction()
