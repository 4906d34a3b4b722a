package io.melo.matrix.sync;

import io.melo.matrix.json.JsonObject;
import io.melo.matrix.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SyncStore} in one small JSON file ({@code {"next_batch": "..."}}). A save writes a temporary
 * file beside it, forces it to disk, then renames it over the old one atomically, so a crash leaves
 * either the old token or the new one, never a torn file. A file that cannot be read as a token
 * (damaged by something else) is logged and treated as absent, and {@link #damaged()} says so: the
 * loop then does an initial sync, and a client on top (melo-core) reports that what came since the
 * last save may have been missed. A file that cannot be read at all (an I/O error) makes
 * {@link #load()} throw. Thread-safe within one process; one file per session.
 */
public final class FileSyncStore implements SyncStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileSyncStore.class);

  private final Path file;
  /** Whether the last load found the file damaged. */
  private volatile boolean damaged;

  /**
   * A store in this file; its directory must exist (a store whose saves all fail would lose, on a
   * restart, what happened while the app ran).
   *
   * @param file the token's file; relative paths are resolved against the working directory now
   * @throws IllegalArgumentException if the path has no file name, or its directory does not exist
   */
  public FileSyncStore(Path file) {
    if (file == null || file.getFileName() == null) {
      throw new IllegalArgumentException("a sync store needs a file path, was: " + file);
    }
    this.file = file.toAbsolutePath();
    Path dir = this.file.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("the directory of the sync store " + this.file
          + " does not exist (or is not a directory): create it first");
    }
  }

  /** {@return the file the token is stored in, as an absolute path} */
  public Path file() {
    return file;
  }

  /** The saved token; empty when the file is absent or unreadable as a token (logged). */
  @Override
  public synchronized Optional<String> load() {
    damaged = false;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sync store " + file, e);
    }
    try {
      JsonObject json = JsonObject.parseObject(new String(bytes, StandardCharsets.UTF_8));
      Optional<String> since = json.getString("next_batch").filter(s -> !s.isEmpty());
      if (!since.isPresent()) {
        damaged = true;
        LOG.warn("The sync store {} holds no next_batch; starting with an initial sync", file);
      }
      return since;
    } catch (IllegalArgumentException e) {
      damaged = true;
      LOG.warn("The sync store {} is not valid JSON; starting with an initial sync", file);
      return Optional.empty();
    }
  }

  /** {@return true when the last {@link #load()} found the file damaged (not JSON, or no token)} */
  @Override
  public boolean damaged() {
    return damaged;
  }

  /**
   * Saves the token durably.
   *
   * @throws UncheckedIOException if writing failed (the old token is then still in place)
   */
  @Override
  public synchronized void save(String since) {
    if (since == null || since.isEmpty()) {
      throw new IllegalArgumentException("a since token must not be empty");
    }
    write(JsonObject.builder().put("next_batch", since).build());
  }

  /** Removes the file. */
  @Override
  public synchronized void clear() {
    try {
      Files.deleteIfExists(file);
      syncDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the sync store " + file, e);
    }
  }

  private void write(JsonValue json) {
    byte[] bytes = json.toJson().getBytes(StandardCharsets.UTF_8);
    Path temp = null;
    try {
      // A temporary file of its own per save: two stores on one file (two clients by mistake) never
      // write into each other's half-written file, so the file always holds one whole save.
      temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + file + " cannot rename atomically", e);
      }
      syncDirectory();
    } catch (IOException e) {
      try {
        if (temp != null) {
          Files.deleteIfExists(temp);
        }
      } catch (IOException ignored) {
        // a stray temporary file; the store never reads it
      }
      throw new UncheckedIOException("cannot save the sync store " + file, e);
    }
  }

  /** Makes the rename durable where the platform allows syncing a directory (Linux, Android). */
  private void syncDirectory() {
    Path dir = file.getParent();
    if (dir == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("Cannot sync the directory {}; the rename is atomic but may not be durable yet", dir);
    }
  }
}
