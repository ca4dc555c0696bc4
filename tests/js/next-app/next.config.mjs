/** No lms-bridge-specific settings: the point of the test. */
export default {};
