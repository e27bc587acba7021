#pragma once
// keras.optimizers: every optimizer and the learning-rate schedules.
#include "keras/optimizers/adadelta.hpp"
#include "keras/optimizers/adagrad.hpp"
#include "keras/optimizers/adam.hpp"
#include "keras/optimizers/adamax.hpp"
#include "keras/optimizers/adamw.hpp"
#include "keras/optimizers/lion.hpp"
#include "keras/optimizers/nadam.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/optimizers/rmsprop.hpp"
#include "keras/optimizers/schedules.hpp"
#include "keras/optimizers/sgd.hpp"
