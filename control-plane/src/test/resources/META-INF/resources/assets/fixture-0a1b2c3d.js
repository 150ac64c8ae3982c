console.log("a stand-in for a hashed console asset");
