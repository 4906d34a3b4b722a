package io.melo.core;

import java.util.Objects;
import java.util.Optional;

/**
 * Changes to a server's name, topic and image; absent fields stay as they are. Start from
 * {@link #none()} and add what changes: {@code ServerUpdate.none().name("HQ").topic("all hands")}.
 *
 * @param name the new name
 * @param topic the new topic
 * @param imageUrl the new image, an {@code mxc://} URL
 */
public record ServerUpdate(Optional<String> name, Optional<String> topic, Optional<String> imageUrl) {

  /** Checks the fields. */
  public ServerUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(imageUrl, "imageUrl");
    if (name.isPresent() && name.get().trim().isEmpty()) {
      throw new IllegalArgumentException("server name must not be blank");
    }
    if (imageUrl.isPresent() && !imageUrl.get().startsWith("mxc://")) {
      throw new IllegalArgumentException("imageUrl must be an mxc:// URL, was: " + imageUrl.get());
    }
  }

  /** No change. */
  public static ServerUpdate none() {
    return new ServerUpdate(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This update, also renaming the server. */
  public ServerUpdate name(String newName) {
    return new ServerUpdate(Optional.of(newName), topic, imageUrl);
  }

  /** This update, also setting the topic. */
  public ServerUpdate topic(String newTopic) {
    return new ServerUpdate(name, Optional.of(newTopic), imageUrl);
  }

  /** This update, also setting the image ({@code mxc://} URL). */
  public ServerUpdate imageUrl(String newImageUrl) {
    return new ServerUpdate(name, topic, Optional.of(newImageUrl));
  }

  /** True when nothing changes. */
  public boolean isEmpty() {
    return !name.isPresent() && !topic.isPresent() && !imageUrl.isPresent();
  }
}
