package io.melo.matrix.event;

import io.melo.matrix.json.JsonObject;

/**
 * The content of an {@code m.room.message}: text, notice, emote, image, file, audio, video, or an
 * unknown msgtype (kept as its string). All fields may be null, since a redacted message has empty
 * content; anything else ({@code geo_uri}, encrypted {@code file}, mentions, ...) stays in {@code extra}.
 *
 * @param msgtype the msgtype string as sent, such as {@code m.text}; see {@link #type()}
 * @param body the plain-text body
 * @param format the format of {@code formattedBody}, such as {@code org.matrix.custom.html}
 * @param formattedBody the formatted body
 * @param url the {@code mxc://} URI of an attachment
 * @param info the attachment's info
 * @param filename the original file name of an attachment
 * @param relatesTo the relation (edit, reply, thread)
 * @param newContent for an edit: the replacement content ({@code m.new_content})
 * @param extra every other field, kept as received
 */
public record MessageContent(
    String msgtype,
    String body,
    String format,
    String formattedBody,
    String url,
    MediaInfo info,
    String filename,
    RelatesTo relatesTo,
    MessageContent newContent,
    JsonObject extra) {

  /** {@code org.matrix.custom.html}, the only format the spec defines. */
  public static final String HTML_FORMAT = "org.matrix.custom.html";

  /**
   * Replaces a null {@code extra} with an empty object.
   *
   * @param msgtype the msgtype string as sent, such as {@code m.text}; see {@link #type()}
   * @param body the plain-text body
   * @param format the format of {@code formattedBody}, such as {@code org.matrix.custom.html}
   * @param formattedBody the formatted body
   * @param url the {@code mxc://} URI of an attachment
   * @param info the attachment's info
   * @param filename the original file name of an attachment
   * @param relatesTo the relation (edit, reply, thread)
   * @param newContent for an edit: the replacement content ({@code m.new_content})
   * @param extra every other field, kept as received
   */
  public MessageContent {
    extra = ContentReader.orEmpty(extra);
  }

  /**
   * {@return a plain-text message ({@code m.text})}
   *
   * @param body the text; null is an {@link IllegalArgumentException}
   */
  public static MessageContent text(String body) {
    return simple(MsgType.TEXT, body);
  }

  /**
   * {@return a notice ({@code m.notice}), as bots send}
   *
   * @param body the text; null is an {@link IllegalArgumentException}
   */
  public static MessageContent notice(String body) {
    return simple(MsgType.NOTICE, body);
  }

  /**
   * {@return an emote ({@code m.emote}), "/me waves"}
   *
   * @param body the text, without the sender's name; null is an {@link IllegalArgumentException}
   */
  public static MessageContent emote(String body) {
    return simple(MsgType.EMOTE, body);
  }

  /**
   * {@return a text message with an HTML body}
   *
   * @param body the plain-text fallback; null is an {@link IllegalArgumentException}
   * @param html the HTML ({@code format: org.matrix.custom.html}); null is an {@link
   *     IllegalArgumentException}
   */
  public static MessageContent html(String body, String html) {
    requireBody(body);
    if (html == null) {
      throw new IllegalArgumentException("html must not be null");
    }
    return new MessageContent(MsgType.TEXT.value(), body, HTML_FORMAT, html, null, null, null, null, null, JsonObject.EMPTY);
  }

  /**
   * {@return an attachment: {@code type} must be IMAGE, FILE, AUDIO or VIDEO; {@code body} is the
   * file name or a description; {@code mxcUrl} the uploaded media}
   *
   * @param type IMAGE, FILE, AUDIO or VIDEO; another is an {@link IllegalArgumentException}
   * @param body the file name or a caption; null is an {@link IllegalArgumentException}
   * @param mxcUrl the uploaded media's {@code mxc://} URI; another form is an {@link
   *     IllegalArgumentException}
   * @param info the media's size, type and dimensions, or null
   */
  public static MessageContent media(MsgType type, String body, String mxcUrl, MediaInfo info) {
    if (type == null || !type.isMedia()) {
      throw new IllegalArgumentException("an attachment needs msgtype image, file, audio or video, was: " + type);
    }
    requireBody(body);
    if (mxcUrl == null || !mxcUrl.startsWith("mxc://")) {
      throw new IllegalArgumentException("an attachment url must be an mxc:// URI, was: " + mxcUrl);
    }
    return new MessageContent(type.value(), body, null, null, mxcUrl, info, null, null, null, JsonObject.EMPTY);
  }

  private static MessageContent simple(MsgType type, String body) {
    requireBody(body);
    return new MessageContent(type.value(), body, null, null, null, null, null, null, null, JsonObject.EMPTY);
  }

  private static void requireBody(String body) {
    if (body == null) {
      throw new IllegalArgumentException("a message body must not be null");
    }
  }

  /**
   * Reads a message content. Never throws: unknown msgtypes and odd fields are kept.
   *
   * @param json the event's {@code content} object; null is an {@link IllegalArgumentException}
   * @return the content; a known field that is absent or of another kind reads as null
   */
  public static MessageContent from(JsonObject json) {
    ContentReader r = new ContentReader(json);
    String msgtype = r.string("msgtype");
    String body = r.string("body");
    String format = r.string("format");
    String formattedBody = r.string("formatted_body");
    String url = r.string("url");
    JsonObject info = r.object("info");
    String filename = r.string("filename");
    JsonObject relatesTo = r.object("m.relates_to");
    JsonObject newContent = r.object("m.new_content");
    return new MessageContent(msgtype, body, format, formattedBody, url,
        info == null ? null : MediaInfo.from(info), filename,
        relatesTo == null ? null : RelatesTo.from(relatesTo),
        newContent == null ? null : from(newContent), r.extra());
  }

  /** {@return the msgtype as an enum; {@link MsgType#UNKNOWN} for msgtypes Melo does not know} */
  public MsgType type() {
    return MsgType.of(msgtype);
  }

  /** {@return true when this content is an edit of another event} */
  public boolean isEdit() {
    return relatesTo != null && relatesTo.isReplace();
  }

  /**
   * {@return a copy with this relation (reply, thread)}
   *
   * @param relation the relation, or null for none
   */
  public MessageContent withRelatesTo(RelatesTo relation) {
    return new MessageContent(msgtype, body, format, formattedBody, url, info, filename, relation, newContent, extra);
  }

  /**
   * {@return a copy with a file name (for attachments whose body is a caption)}
   *
   * @param name the file name, or null for none
   */
  public MessageContent withFilename(String name) {
    return new MessageContent(msgtype, body, format, formattedBody, url, info, name, relatesTo, newContent, extra);
  }

  /**
   * {@return this content as an edit of another event: {@code m.new_content} holds this content,
   * the {@code body} falls back to {@code "* " + body} for clients without edits, and {@code
   * m.relates_to} is {@code m.replace}}
   *
   * @param originalEventId the event id of the message being edited; empty is an {@link
   *     IllegalArgumentException}
   */
  public MessageContent asEditOf(String originalEventId) {
    MessageContent replacement = new MessageContent(msgtype, body, format, formattedBody, url, info, filename, null, null, extra);
    return new MessageContent(msgtype, body == null ? null : "* " + body, format,
        formattedBody == null ? null : "* " + formattedBody, url, info, filename,
        RelatesTo.replace(originalEventId), replacement, extra);
  }

  /** {@return this content as JSON} */
  public JsonObject toJson() {
    JsonObject.Builder b = JsonObject.builder()
        .putOrRemove("msgtype", msgtype)
        .putOrRemove("body", body)
        .putOrRemove("format", format)
        .putOrRemove("formatted_body", formattedBody)
        .putOrRemove("url", url)
        .putOrRemove("info", info == null ? null : info.toJson())
        .putOrRemove("filename", filename)
        .putOrRemove("m.relates_to", relatesTo == null ? null : relatesTo.toJson())
        .putOrRemove("m.new_content", newContent == null ? null : newContent.toJson());
    return ContentReader.withExtra(b, extra);
  }
}
