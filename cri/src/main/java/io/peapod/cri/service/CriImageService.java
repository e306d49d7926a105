package io.peapod.cri.service;

import io.grpc.stub.StreamObserver;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.cri.mapping.Images;
import io.peapod.cri.v1.*;
import io.peapod.image.ImageService;
import io.peapod.image.ref.ImageRef;
import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.image.store.ImageRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `runtime.v1.ImageService` on peapod's image store. An image's id is its config digest, as containerd
/// reports it; ImageStatus of a missing image answers with no image (CRI's "not present"), and removing
/// a missing image succeeds.
public final class CriImageService extends ImageServiceGrpc.ImageServiceImplBase {
  private final ImageService images;
  private final Path imageRoot;

  /// `imageRoot` is where the image store keeps its blobs and layers (ImageFsInfo measures it).
  public CriImageService(ImageService images, Path imageRoot) {
    this.images = images;
    this.imageRoot = imageRoot;
  }

  @Override
  public void listImages(ListImagesRequest r, StreamObserver<ListImagesResponse> out) {
    Calls.unary("ListImages", out, () -> ListImagesResponse.newBuilder().addAllImages(list(r.getFilter())).build());
  }

  @Override
  public void streamImages(StreamImagesRequest r, StreamObserver<StreamImagesResponse> out) {
    Calls.pages("StreamImages", out, () -> list(r.getFilter()),
        page -> StreamImagesResponse.newBuilder().addAllImages(page).build());
  }

  @Override
  public void imageStatus(ImageStatusRequest r, StreamObserver<ImageStatusResponse> out) {
    Calls.unary("ImageStatus", out, () -> {
      ImageStatusResponse.Builder b = ImageStatusResponse.newBuilder();
      find(r.getImage().getImage()).ifPresent(rec -> {
        b.setImage(Images.image(rec, images.list(), images.config(rec)));
        if (r.getVerbose()) {
          b.putInfo("info", "{\"manifest\":\"" + rec.manifest() + "\",\"config\":\"" + rec.config() + "\"}");
        }
      });
      return b.build();
    });
  }

  @Override
  public void pullImage(PullImageRequest r, StreamObserver<PullImageResponse> out) {
    Calls.unary("PullImage", out, () -> {
      String ref = r.getImage().getImage();
      if (ref.isEmpty()) {
        throw new InvalidArgumentException("PullImageRequest.image.image is empty; name the image to pull");
      }
      ImageRecord rec = images.pull(ref, credentials(ImageRef.parse(ref), r.getAuth()), p -> { });
      return PullImageResponse.newBuilder().setImageRef(Images.id(rec)).build();
    });
  }

  @Override
  public void removeImage(RemoveImageRequest r, StreamObserver<RemoveImageResponse> out) {
    Calls.unary("RemoveImage", out, () -> {
      Optional<ImageRecord> rec = find(r.getImage().getImage());
      if (rec.isPresent()) {
        // An id names every tag of the image; containerd removes them all, and so does this.
        List<ImageRecord> named = r.getImage().getImage().equals(Images.id(rec.get()))
            || r.getImage().getImage().startsWith("sha256:")
            ? images.list().stream().filter(i -> i.config().equals(rec.get().config())).toList()
            : List.of(rec.get());
        named.forEach(i -> images.remove(i.name().toString()));
      }
      return RemoveImageResponse.getDefaultInstance();
    });
  }

  @Override
  public void imageFsInfo(ImageFsInfoRequest r, StreamObserver<ImageFsInfoResponse> out) {
    Calls.unary("ImageFsInfo", out, () -> ImageFsInfoResponse.newBuilder()
        .addImageFilesystems(Images.usage(imageRoot)).build());
  }

  private List<Image> list(ImageFilter f) {
    List<ImageRecord> all = images.list();
    List<ImageRecord> chosen = f.getImage().getImage().isEmpty() ? all
        : find(f.getImage().getImage()).map(List::of).orElse(List.of());
    return Images.dedupe(chosen).stream().map(rec -> Images.image(rec, all, images.config(rec))).toList();
  }

  private Optional<ImageRecord> find(String ref) {
    if (ref.isEmpty()) {
      throw new InvalidArgumentException("ImageSpec.image is empty; name an image");
    }
    try {
      return images.find(ref);
    } catch (NotFoundException | InvalidArgumentException notAnImage) {
      return Optional.empty();
    }
  }

  /// CRI's AuthConfig as basic credentials for the image's registry (or `server_address`).
  private static Map<String, Credentials> credentials(ImageRef ref, AuthConfig a) {
    if (!a.getIdentityToken().isEmpty() || !a.getRegistryToken().isEmpty()) {
      throw new InvalidArgumentException("PullImageRequest.auth: identity and registry tokens are not supported;"
          + " give username and password (or auth)");
    }
    String user = a.getUsername();
    String password = a.getPassword();
    if (!a.getAuth().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(a.getAuth()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("PullImageRequest.auth.auth is not base64: " + e.getMessage(), e);
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new InvalidArgumentException("PullImageRequest.auth.auth is not base64 of user:password");
      }
      user = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    if (user.isEmpty()) {
      return Map.of();
    }
    String host = a.getServerAddress().isEmpty() ? ref.domain()
        : a.getServerAddress().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
    return Map.of(host, new Credentials(user, password));
  }
}
