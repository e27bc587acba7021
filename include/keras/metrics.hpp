#pragma once
// keras.metrics: stateful metrics (update_state / result / reset_state) and
// the functions behind them.
#include "keras/metrics/accuracy_metrics.hpp"
#include "keras/metrics/confusion_metrics.hpp"
#include "keras/metrics/hinge_metrics.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/metrics/probabilistic_metrics.hpp"
#include "keras/metrics/reduction_metrics.hpp"
#include "keras/metrics/regression_metrics.hpp"
