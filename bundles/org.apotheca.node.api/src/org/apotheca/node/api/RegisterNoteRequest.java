package org.apotheca.node.api;

import java.util.UUID;

/**
 * A dated correction note on a register entry.
 *
 * @param noteId chosen by the caller before the first attempt
 * @param entryId the entry the note corrects (any kind, a note too)
 * @param text what was wrong and what is right, at most {@link #MAX_TEXT} characters
 */
public record RegisterNoteRequest(String noteId, String entryId, String text) {

  public static final int MAX_TEXT = 500;

  public static RegisterNoteRequest of(String entryId, String text) {
    return new RegisterNoteRequest(UUID.randomUUID().toString(), entryId, text);
  }
}
