package org.apotheca.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apotheca.ui.updates.UpdateSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file an admin deploys for the workbench's updates: what it accepts, and one sentence for what it does not. */
class UpdateSettingsTest {

  @TempDir
  Path dir;

  @AfterEach
  void noFile() {
    System.clearProperty("apotheca.updates.config");
  }

  private UpdateSettings load(String text) throws Exception {
    Path f = Files.writeString(dir.resolve(UpdateSettings.FILE), text);
    System.setProperty("apotheca.updates.config", f.toString());
    return UpdateSettings.load();
  }

  @Test
  void aWebSiteOrADirectory() throws Exception {
    UpdateSettings web = load("repository=https://updates.pharmacy.lan/apotheca/\ncheck.hours=2\n");
    assertEquals(URI.create("https://updates.pharmacy.lan/apotheca/"), web.repository());
    assertEquals(2, web.checkHours());
    assertNull(web.problem());
    assertEquals(dir.resolve(UpdateSettings.FILE).toString(), web.source());

    UpdateSettings folder = load("repository=" + dir + "\n");
    assertEquals(dir.toUri(), folder.repository());
    assertEquals(6, folder.checkHours(), "six hours unless the admin says otherwise");
  }

  @Test
  void plainHttpOnlyWhenTheAdminAllowsIt() throws Exception {
    String file = dir.resolve(UpdateSettings.FILE).toString();
    UpdateSettings refused = load("repository=http://updates.pharmacy.lan/apotheca/\n");
    assertNull(refused.repository());
    assertEquals("The update site http://updates.pharmacy.lan/apotheca/ in " + file + " is plain http, which p2 fetches as "
        + "https: serve it over https, or add allow.http=true if the network between them is trusted.", refused.problem());
    String before = System.getProperty("p2.httpRule");
    try {
      UpdateSettings allowed = load("repository=http://updates.pharmacy.lan/apotheca/\nallow.http=true\n");
      assertNull(allowed.problem());
      assertEquals(URI.create("http://updates.pharmacy.lan/apotheca/"), allowed.repository());
      assertEquals(before == null ? "allow" : before, System.getProperty("p2.httpRule"), "p2 is told before it is used");
    } finally {
      if (before == null) {
        System.clearProperty("p2.httpRule");
      }
    }
  }

  @Test
  void noSiteIsNotAProblem() throws Exception {
    UpdateSettings none = load("# nothing yet\n");
    assertNull(none.repository());
    assertNull(none.problem());
  }

  @Test
  void badValuesGetOneSentence() throws Exception {
    String file = dir.resolve(UpdateSettings.FILE).toString();
    assertEquals("The update site \"ftp://updates/\" in " + file + " is neither a web address nor a directory.",
        load("repository=ftp://updates/\n").problem());
    assertEquals("The update site \"updates/site\" in " + file + " is neither a web address nor a directory.",
        load("repository=updates/site\n").problem());
    assertEquals("check.hours in " + file + " must be a whole number of hours (0 for no background check), not \"six\".",
        load("repository=https://u/\ncheck.hours=six\n").problem());
    assertNull(load("repository=https://u/\ncheck.hours=six\n").repository(), "nothing is used from a file with a mistake");
  }
}
