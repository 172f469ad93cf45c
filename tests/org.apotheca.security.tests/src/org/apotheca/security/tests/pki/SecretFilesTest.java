package org.apotheca.security.tests.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.apotheca.security.pki.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

  @TempDir
  Path tmp;

  @Test
  void filesAreOwnerOnlyAndReplacedWhole() throws Exception {
    Path file = tmp.resolve("secret");
    SecretFiles.write(file, "one".getBytes());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(SecretFiles.isOwnerOnly(file));

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertFalse(SecretFiles.isOwnerOnly(file));
    SecretFiles.write(file, "two".getBytes());
    assertArrayEquals("two".getBytes(), SecretFiles.read(file));
    assertTrue(SecretFiles.isOwnerOnly(file), "a replaced file is owner-only again");
    try (var listing = Files.list(tmp)) {
      assertEquals(List.of(file), listing.toList(), "no temporary file left behind");
    }

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> SecretFiles.write(tmp.resolve("absent/secret"), new byte[1]));
    assertTrue(e.getMessage().startsWith("cannot write " + tmp.resolve("absent/secret")), e.getMessage());
  }

  @Test
  void directoriesAreCreatedOwnerOnlyAndTightenedWhenTheyExist() throws Exception {
    Path created = tmp.resolve("a/b/pki");
    SecretFiles.createOwnerOnlyDirectories(created);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));

    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
    SecretFiles.createOwnerOnlyDirectories(open);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));

    Path file = Files.createFile(tmp.resolve("file"));
    assertThrows(UncheckedIOException.class, () -> SecretFiles.createOwnerOnlyDirectories(file));
  }

  @Test
  void passwordsAre32UrlSafeCharactersAndNeverRepeat() {
    char[] a = SecretFiles.newPassword();
    assertEquals(32, a.length);
    assertTrue(new String(a).matches("[A-Za-z0-9_-]{32}"), new String(a));
    assertNotEquals(new String(a), new String(SecretFiles.newPassword()));
  }
}
