package io.melo.testkit.model;

/**
 * One stored media file.
 *
 * @param serverName the server part of its {@code mxc://} URI
 * @param mediaId the media id ({@code [A-Za-z0-9]+})
 * @param bytes the content (do not modify)
 * @param contentType the content type given at upload, or {@code application/octet-stream}
 * @param filename the file name given at upload, or null
 * @param uploader the uploading user
 */
public record Media(
    String serverName, String mediaId, byte[] bytes, String contentType, String filename, String uploader) {
  /** {@return the {@code mxc://server/id} URI} */
  public String mxcUri() {
    return "mxc://" + serverName + "/" + mediaId;
  }

  @Override
  public String toString() {
    return "Media{" + mxcUri() + ", " + contentType + ", " + bytes.length + " bytes}";
  }
}
