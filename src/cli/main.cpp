#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "io/matrix_io.hpp"
#include "numeric/fp.hpp"

int main(int argc, char** argv) {
  using namespace fim::cli;
  if (!fim::num::arithmetic_is_ieee_nearest()) {
    std::fprintf(stderr, "fimcheck: this process does not round binary64 to nearest with "
                         "subnormals (FTZ/DAZ or a rounding mode is set): refusing to certify\n");
    return kBadInput;
  }
  CLI::App app{"fimcheck: certified checks of spectral claims about the empirical Fisher "
               "information matrix under weight quantization"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  int exit_code = kOk;
  add_lambda(app, exit_code);
  add_spectrum(app, exit_code);
  add_check(app, exit_code);
  add_verify(app, exit_code);
  add_partition(app, exit_code);
  add_sigma(app, exit_code);
  add_quantize(app, exit_code);
  add_scores(app, exit_code);
  add_audit(app, exit_code);
  add_experiment(app, exit_code);
  add_demo(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kBadInput;
  } catch (const fim::io::InputError& e) {
    std::fprintf(stderr, "fimcheck: %s\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fimcheck: error: %s\n", e.what());
    return kBadInput;
  }
  return exit_code;
}
