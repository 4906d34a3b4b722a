package io.melo.core.testing;

import io.melo.core.Channel;
import io.melo.core.ChannelType;
import io.melo.core.MeloClient;
import io.melo.core.Message;
import io.melo.core.Profile;
import io.melo.core.Server;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds sample values, including any event record by reflection, for tests over the whole event tree. */
public final class Samples {

  public static final String SERVER = "!space:hs";
  public static final String ROOM = "!room:hs";
  public static final MeloClient CLIENT = TestClient.of("@alice:hs");

  private Samples() {}

  public static Message message(String id) {
    return new Message(id, ROOM, "@alice:hs", Instant.EPOCH, "m.text", "hi", Optional.empty(),
        Optional.empty(), false, Optional.empty(), Optional.empty(), List.of());
  }

  public static Channel channel(String id, String name) {
    return new Channel(id, SERVER, name, Optional.empty(), ChannelType.TEXT, "TEXT", "@alice:hs", Instant.EPOCH);
  }

  public static Server server() {
    return new Server(SERVER, "HQ", Optional.empty(), Optional.empty(), "@alice:hs", Optional.empty(), Instant.EPOCH);
  }

  /** An instance of {@code type}, a record, with each component set to a plausible sample. */
  public static <T> T record(Class<T> type) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = sample(components[i]);
    }
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot build a sample " + type.getName(), e);
    }
  }

  private static Object sample(RecordComponent component) {
    Class<?> type = component.getType();
    String name = component.getName();
    if (type == MeloClient.class) {
      return CLIENT;
    } else if (type == long.class) {
      return 7L;
    } else if (type == int.class) {
      return 7;
    } else if (type == boolean.class) {
      return false;
    } else if (type == String.class) {
      if (name.equals("serverId")) {
        return SERVER;
      } else if (name.equals("roomId") || name.equals("channelId")) {
        return ROOM;
      } else if (name.endsWith("Id") || name.endsWith("By")) {
        return "@bob:hs";
      }
      return "x";
    } else if (type == Optional.class) {
      return name.equals("serverId") ? Optional.of(SERVER) : name.equals("roomId") ? Optional.of(ROOM) : Optional.empty();
    } else if (type == List.class) {
      return List.of();
    } else if (type == Instant.class) {
      return Instant.EPOCH;
    } else if (type == Message.class) {
      return message("$m");
    } else if (type == Channel.class) {
      return channel(ROOM, "random");
    } else if (type == Server.class) {
      return server();
    } else if (type == Profile.class) {
      return Profile.of("@bob:hs");
    } else if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    throw new AssertionError("no sample for " + type + " " + name);
  }
}
