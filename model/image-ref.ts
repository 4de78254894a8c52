// Image references as the container runtime parses them (github.com/distribution/reference),
// the default tag, and the pull policy the API server defaults from the tag.

// A Docker reference (github.com/distribution/reference): lowercase path components,
// an optional registry host with port, an optional tag, an optional digest.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const HOST = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
const REFERENCE = new RegExp(`^${HOST}${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

/** The InvalidImageName message, or null for a valid reference. */
export function imageNameProblem(image: string): string | null {
  return REFERENCE.test(image) ? null : `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
}

/** The reference with the default tag applied: "nginx" is "nginx:latest". */
export function normalizedImage(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') || image.includes('@') ? image : `${image}:latest`;
}

/** imagePullPolicy from the image's tag: Always for ":latest" or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  return normalizedImage(image).endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

