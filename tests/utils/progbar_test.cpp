#include "keras/utils/progbar.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace {

using keras::utils::Progbar;
using keras::utils::ProgbarOptions;

TEST(Progbar, PlainOutputPrintsOnlyTheFinalLine) {
  std::ostringstream out;
  Progbar bar(1875, ProgbarOptions{.dynamic_display = false}, out);
  bar.update(1, {{"accuracy", 0.5}, {"loss", 1.2}});
  bar.update(1000, {{"accuracy", 0.7}, {"loss", 0.8}});
  EXPECT_EQ(out.str(), "");
  bar.update(1875, {{"accuracy", 0.8776}, {"loss", 0.4336}, {"val_loss", 0.0000123}});
  const std::string text = out.str();
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\b'), std::string::npos);
  EXPECT_EQ(text.rfind("1875/1875 ━━━━━━━━━━━━━━━━━━━━ ", 0), 0u) << text;
  EXPECT_NE(text.find("/step - accuracy: 0.8776 - loss: 0.4336 - val_loss: 1.2300e-05\n"),
            std::string::npos)
      << text;
}

TEST(Progbar, TerminalOutputRedrawsInPlaceWithKerasStyling) {
  std::ostringstream out;
  Progbar bar(4, ProgbarOptions{.interval = 0.0, .dynamic_display = true}, out);
  bar.update(1, {{"loss", 2.0}});
  bar.update(4, {{"loss", 1.0}});
  const std::string text = out.str();
  EXPECT_NE(text.find("\r\x1b[1m1/4\x1b[0m \x1b[32m━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━━\x1b[0m"),
            std::string::npos);
  EXPECT_NE(text.find("\r\x1b[1m4/4\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m"),
            std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(bar.last_line().find(" - loss: 1.0000"), std::string::npos);
}

TEST(Progbar, VerboseTwoPrintsOneLine) {
  std::ostringstream out;
  Progbar bar(239, ProgbarOptions{.verbose = 2}, out);
  bar.update(100, {{"loss", 0.5}});
  bar.update(239, {{"loss", 0.0191}, {"val_loss", -0.5}});
  EXPECT_EQ(out.str().rfind("239/239 - 0s - ", 0), 0u) << out.str();
  // verbose=2 tests v > 1e-3 without abs, so a negative value uses e-format.
  EXPECT_NE(out.str().find("loss: 0.0191 - val_loss: -5.0000e-01\n"), std::string::npos)
      << out.str();
}

TEST(Progbar, SilentAtVerboseZero) {
  std::ostringstream out;
  Progbar bar(3, ProgbarOptions{.verbose = 0}, out);
  bar.update(3, {{"loss", 1.0}});
  EXPECT_EQ(out.str(), "");
}

TEST(Progbar, MetricFormatting) {
  EXPECT_EQ(keras::utils::format_metric_value(0.0), "0.0000e+00");
  EXPECT_EQ(keras::utils::format_metric_value(0.52101), "0.5210");
  EXPECT_EQ(keras::utils::format_metric_value(-0.5), "-0.5000");
}

}  // namespace
