/// Images on one node: the [io.peapod.image.ImageService] facade that resolves, imports, lists and
/// removes images, over the content store, the image store and the layer unpacker below it.
package io.peapod.image;
