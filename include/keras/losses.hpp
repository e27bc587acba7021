#pragma once
// keras.losses: every loss as a function of (y_true, y_pred) giving per-sample
// values, and as a Loss object that weights, masks and reduces them.
#include "keras/losses/hinge_losses.hpp"
#include "keras/losses/loss.hpp"
#include "keras/losses/probabilistic_losses.hpp"
#include "keras/losses/regression_losses.hpp"
