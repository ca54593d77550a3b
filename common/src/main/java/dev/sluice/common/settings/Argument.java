package dev.sluice.common.settings;

/**
 * One command-line argument as the settings read it: {@code --name=value} is a name with an inline
 * value, anything else a name alone (a value, if it takes one, is the next argument).
 */
record Argument(String name, String inline) {
  static Argument of(String arg) {
    int eq = arg.indexOf('=');
    return arg.startsWith("--") && eq > 0
        ? new Argument(arg.substring(0, eq), arg.substring(eq + 1))
        : new Argument(arg, null);
  }

  boolean hasInline() {
    return inline != null;
  }
}
