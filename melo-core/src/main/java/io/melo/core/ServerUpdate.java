package io.melo.core;

import io.melo.core.internal.Rules;
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

  /**
   * Checks the fields.
   *
   * @param name the new name
   * @param topic the new topic
   * @param imageUrl the new image, an {@code mxc://} URL
   */
  public ServerUpdate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(imageUrl, "imageUrl");
    if (name.isPresent() && Rules.strip(name.get()).isEmpty()) {
      throw new IllegalArgumentException("server name must not be blank");
    }
    if (imageUrl.isPresent() && !imageUrl.get().startsWith("mxc://")) {
      throw new IllegalArgumentException("imageUrl must be an mxc:// URL, was: " + imageUrl.get());
    }
  }

  /**
   * No change.
   *
   * @return an update that changes nothing; add changes with its methods
   */
  public static ServerUpdate none() {
    return new ServerUpdate(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * {@return this update, also renaming the server}
   *
   * @param newName the new name; not null
   */
  public ServerUpdate name(String newName) {
    return new ServerUpdate(Optional.of(newName), topic, imageUrl);
  }

  /**
   * {@return this update, also setting the topic}
   *
   * @param newTopic the new topic; not null
   */
  public ServerUpdate topic(String newTopic) {
    return new ServerUpdate(name, Optional.of(newTopic), imageUrl);
  }

  /**
   * {@return this update, also setting the image ({@code mxc://} URL)}
   *
   * @param newImageUrl the image's {@code mxc://} URL; not null
   */
  public ServerUpdate imageUrl(String newImageUrl) {
    return new ServerUpdate(name, topic, Optional.of(newImageUrl));
  }

  /** {@return true when nothing changes} */
  public boolean isEmpty() {
    return !name.isPresent() && !topic.isPresent() && !imageUrl.isPresent();
  }
}
