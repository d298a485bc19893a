package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.standard.CodeCheck;
import cn.jiangyin.warehouse.standard.Codes;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warehouse codes …}: the data standards (数据标准) from the command line. */
@Command(
    name = "codes",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Check codes against the national standards (USCC, organisation code, ID number).")
final class CodesCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Check each code; exit 0 only if all are valid.",
      footer = {
        "",
        "The kind is decided by shape: 18 characters = 统一社会信用代码 (GB 32100) or 身份证号码 (GB 11643),"
            + " 15 digits = legacy ID number, 9 characters = 组织机构代码 (GB 11714).",
        "ID numbers are printed masked."
      })
  int check(
      @Parameters(paramLabel = "CODE", arity = "1..*", description = "Codes to check.")
          List<String> codes) {
    boolean allValid = true;
    for (String code : codes) {
      CodeCheck check = Codes.check(code);
      WarehouseCommand.of(spec).out().println(check.line());
      allValid &= check.valid();
    }
    return allValid ? 0 : WarehouseCommand.EXIT_FAILURE;
  }
}
