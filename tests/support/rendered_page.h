// Test support for pages rendered by headless Chromium (Debian's chromium package): the command
// line, a file's bytes, and the lines Chromium logs for the page's console.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gardefou::testing {

inline constexpr char kChromium[] =
    "chromium --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 "
    "--window-size=1400,1200 ";

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Lines Chromium logs for the page's console ("...:CONSOLE:<line>] ...").
inline std::string ConsoleLines(const std::string& output) {
  std::string lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.find(":CONSOLE") != std::string::npos) lines += line + "\n";
  }
  return lines;
}

}  // namespace gardefou::testing
