package org.apotheca.core.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apotheca.core.store.FileTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir
  Path tmp;

  /** A link inside a data directory to somewhere else must go as a link: what it points at stays. */
  @Test
  void deletesATreeWithoutFollowingLinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("precious.txt"), "keep me");
    Path tree = Files.createDirectories(tmp.resolve("data/seg0/deep"));
    Files.writeString(tree.resolve("c10.dat"), "x");
    Files.createSymbolicLink(tmp.resolve("data/link"), outside);

    FileTrees.deleteTree(tmp.resolve("data"));

    assertFalse(Files.exists(tmp.resolve("data")));
    assertTrue(Files.exists(outside.resolve("precious.txt")), "the link's target was emptied");
  }

  @Test
  void deletesContentsButKeepsTheDirectory() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("backup"));
    Files.createDirectories(dir.resolve("site-0001/seg0"));
    Files.writeString(dir.resolve("site-0001/seg0/c1.dat"), "x");
    Files.writeString(dir.resolve("manifest.properties"), "x");

    FileTrees.deleteContents(dir);

    assertTrue(Files.isDirectory(dir));
    try (var left = Files.list(dir)) {
      assertTrue(left.findAny().isEmpty());
    }
  }

  @Test
  void aMissingTreeIsNothingToDo() throws Exception {
    FileTrees.deleteTree(tmp.resolve("never-made"));
    assertTrue(FileTrees.deleteTreeQuietly(tmp.resolve("never-made")));
  }
}
