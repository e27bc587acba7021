#pragma once
// Depthwise convolutions (groups = in_c, one input channel per group, out_c
// = in_c * multiplier) as direct vectorised loops: their GEMMs would be a
// few columns wide. The fallback of conv.cpp when oneDNN does not take them
// (always for float64).
#include "backend/cpu/conv.hpp"

namespace keras::backend::cpu {

bool is_depthwise(const ConvShape& s);

template <class T>
void depthwise_forward(const ConvShape& s, const T* x, const T* kernel, T* y, const T* bias,
                       bool relu);
template <class T>
void depthwise_backward_data(const ConvShape& s, const T* dy, const T* kernel, T* dx);
template <class T>
void depthwise_backward_filter(const ConvShape& s, const T* x, const T* dy, T* dkernel);

}  // namespace keras::backend::cpu
