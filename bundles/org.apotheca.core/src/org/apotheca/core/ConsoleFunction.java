package org.apotheca.core;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.apotheca.core.catalogue.CatalogueCsv;
import org.apotheca.core.net.CdoClient;
import org.apotheca.node.api.NodeException;

/**
 * The {@code apotheca} function as the Gogo console (telnet) calls it: the reply, or one line
 * {@code error: <sentence>} (a refused catalogue file: that line, then one line per error in the file). Gogo itself would print a thrown exception as {@code gogo: IllegalArgumentException:
 * ...}: a Java class name in front of support staff. The one-shot console ({@code ./apotheca console}) exits
 * non-zero on the {@code error:} prefix, so scripts still see the failure.
 */
public final class ConsoleFunction {

  private static final Logger LOG = Logger.getLogger(ConsoleFunction.class.getName());

  private final LineCommands.Handler commands;

  public ConsoleFunction(LineCommands.Handler commands) {
    this.commands = commands;
  }

  public String apotheca(String... args) {
    try {
      return commands.apotheca(args);
    } catch (CatalogueCsv.RefusedException e) {
      return "error: " + e.getMessage(); // every line of a refused file, so that all of them are fixed in one go
    } catch (IllegalArgumentException | NodeException e) {
      return "error: " + firstLine(e.getMessage());
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Console command failed: apotheca " + (args.length == 0 ? "" : args[0]), e);
      String root = CdoClient.rootMessage(e);
      boolean onlyAName = root.matches("[A-Z][A-Za-z]*(Exception|Error)");
      return "error: " + (onlyAName ? "the command failed unexpectedly; the log has the details" : root);
    }
  }

  private static String firstLine(String message) {
    return message == null ? "refused" : message.lines().findFirst().orElse(message).strip();
  }
}
